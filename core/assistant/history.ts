/**
 * Saved conversations in the SQLite app database (`conversations` and `messages` tables). Each
 * entry is one row: its role, and the entry itself as JSON in `content` (tool calls, their cards
 * and token counts included), so a conversation reloads exactly as it was shown.
 */
import type Database from "better-sqlite3";
import type { ChatEntry, Conversation, ConversationSummary } from "../../common/api/assistant.ts";
import { usageOf } from "./messages.ts";

const TITLE_CHARS = 80;

interface ConversationRow {
  id: number;
  title: string;
  created_at: number;
  updated_at: number;
}

/** A title from the first user message: one line, shortened. */
export function titleOf(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line || "New conversation";
}

function parseEntry(role: string, content: string): ChatEntry | null {
  try {
    const entry = JSON.parse(content) as ChatEntry;
    return entry && entry.role === role ? entry : null;
  } catch {
    // A row written by something else than the assistant: plain text.
    if (role === "user") return { role: "user", text: content, time: 0 };
    if (role === "assistant") return { role: "assistant", text: content, toolCalls: [], time: 0 };
    return null;
  }
}

/** Conversation storage over an open app database. */
export class ConversationStore {
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Creates a conversation titled after its first message; returns its id. */
  create(firstMessage: string, now = Date.now()): number {
    const info = this.db.prepare("INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)").run(titleOf(firstMessage), now, now);
    return Number(info.lastInsertRowid);
  }

  /** Appends entries (one transaction). */
  append(conversationId: number, entries: readonly ChatEntry[], now = Date.now()): void {
    const insert = this.db.prepare("INSERT INTO messages (conversation_id, role, content, created_at) VALUES (?, ?, ?, ?)");
    const touch = this.db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
    this.db.transaction(() => {
      for (const e of entries) insert.run(conversationId, e.role, JSON.stringify(e), e.time || now);
      touch.run(now, conversationId);
    })();
  }

  /** Deletes the entries after the last user message and returns that message (for Retry); null when there is none. */
  rewindToLastUser(conversationId: number): { text: string; history: ChatEntry[] } | null {
    const rows = this.db.prepare<[number], { id: number; role: string; content: string }>("SELECT id, role, content FROM messages WHERE conversation_id = ? ORDER BY id").all(conversationId);
    let last = -1;
    rows.forEach((r, i) => {
      if (r.role === "user") last = i;
    });
    if (last < 0) return null;
    const user = parseEntry("user", rows[last]!.content);
    if (!user || user.role !== "user") return null;
    this.db.prepare("DELETE FROM messages WHERE conversation_id = ? AND id >= ?").run(conversationId, rows[last]!.id);
    const history = rows.slice(0, last).map((r) => parseEntry(r.role, r.content)).filter((e): e is ChatEntry => e !== null);
    return { text: user.text, history };
  }

  /** The newest conversations first. */
  list(limit = 200): ConversationSummary[] {
    return this.db
      .prepare<[number], ConversationRow>("SELECT id, title, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC LIMIT ?")
      .all(limit)
      .map((r) => ({ id: r.id, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  /** A conversation with its entries; null when it does not exist. */
  get(id: number): Conversation | null {
    const row = this.db.prepare<[number], ConversationRow>("SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?").get(id);
    if (!row) return null;
    const entries = this.db
      .prepare<[number], { role: string; content: string }>("SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY id")
      .all(id)
      .map((r) => parseEntry(r.role, r.content))
      .filter((e): e is ChatEntry => e !== null);
    return { id: row.id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at, entries, usage: usageOf(entries) };
  }

  /** Deletes a conversation and its messages. */
  delete(id: number): boolean {
    return this.db.prepare("DELETE FROM conversations WHERE id = ?").run(id).changes > 0;
  }
}
