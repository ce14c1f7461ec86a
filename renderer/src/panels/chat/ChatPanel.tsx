/**
 * The assistant's chat panel: conversation list, streamed answers with tool-call cards, Stop
 * while a turn runs, provider errors in plain words with Retry, and — with no provider
 * configured — how to add one, with nothing else in the workstation affected.
 */
import { useEffect, useRef, useState } from "react";
import type { ChatEntry, TurnSnapshot } from "../../../../common/api/assistant.ts";
import { escapeControls } from "../../../../common/text/escape.ts";
import { Panel } from "../Placeholder.tsx";
import { useConnection } from "../../stores/connection.ts";
import { useChat } from "./chat-store.ts";
import { CloudConsent, ProviderSetup } from "./ProviderSetup.tsx";
import { ToolCard } from "./ToolCard.tsx";
import "./chat.css";

function Entry({ entry }: { entry: ChatEntry }): React.JSX.Element | null {
  if (entry.role === "tool") return null;
  if (entry.role === "user") return <div className="chat-msg chat-user" data-testid="chat-user">{entry.text}</div>;
  return (
    <div className="chat-msg chat-assistant" data-testid="chat-assistant">
      {entry.text ? <div className="chat-text">{entry.text}</div> : null}
      {entry.toolCalls.map((c) => <ToolCard key={c.id} call={c} />)}
    </div>
  );
}

function TurnStatus({ turn, onRetry }: { turn: TurnSnapshot; onRetry: () => void }): React.JSX.Element | null {
  if (turn.status === "running") return <p className="hint chat-status" data-testid="chat-running">Working…</p>;
  if (turn.status === "retrying") return <p className="warn chat-status">{turn.notice}</p>;
  if (turn.status === "stopped") return <p className="hint chat-status">Stopped.</p>;
  if (turn.status !== "error" || !turn.error || turn.error.kind === "consent") return null;
  return (
    <div className="chat-error" role="alert" data-testid="chat-error">
      <p>{escapeControls(turn.error.message)}</p>
      {turn.error.retryable && turn.conversationId !== null ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

function Composer({ running }: { running: boolean }): React.JSX.Element {
  const [text, setText] = useState("");
  const { send, cancel } = useChat();
  const submit = (): void => {
    if (!text.trim() || running) return;
    send(text.trim());
    setText("");
  };
  return (
    <form className="chat-composer" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <textarea
        value={text}
        rows={2}
        placeholder="Ask for a strategy, a backtest or a query… (Enter to send)"
        aria-label="Message to the assistant"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            submit();
          }
        }}
      />
      {running ? (
        <button type="button" onClick={cancel} data-testid="chat-stop">
          Stop
        </button>
      ) : (
        <button type="submit" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  );
}

function ConversationPicker({ onProvider }: { onProvider: () => void }): React.JSX.Element {
  const { conversations, conversationId, open, newConversation, remove } = useChat();
  return (
    <>
      <button type="button" title="Provider, base URL, model and key" onClick={onProvider}>
        Provider
      </button>
      <select aria-label="Conversations" value={conversationId ?? ""} onChange={(e) => (e.target.value ? void open(Number(e.target.value)) : newConversation())}>
        <option value="">New conversation</option>
        {conversations.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
      </select>
      {conversationId !== null ? (
        <button type="button" title="Delete this conversation" onClick={() => void remove(conversationId)}>
          Delete
        </button>
      ) : null}
      <button type="button" onClick={newConversation}>
        New
      </button>
    </>
  );
}

/** The chat panel. */
export function ChatPanel({ style }: { style?: React.CSSProperties }): React.JSX.Element {
  const { settings, entries, turn, error, stop, loadSettings, refreshList, retry } = useChat();
  const connected = useConnection((s) => s.state === "open");
  const log = useRef<HTMLDivElement>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!connected) return;
    void loadSettings();
    void refreshList();
  }, [connected, loadSettings, refreshList]);
  useEffect(() => {
    // Scroll only the log (scrollIntoView would also scroll the layout, and returns a promise in newer browsers).
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries, turn]);
  const running = stop !== null;
  const shown = turn ? [...entries, ...turn.entries] : entries;
  const ready = settings?.configured === true;
  const needsConsent = ready && settings.consentNeeded;
  return (
    <Panel title="Assistant" area="chat" style={style} actions={ready ? <ConversationPicker onProvider={() => setEditing(!editing)} /> : null} fill>
      <div className="chat">
        <div className="chat-log" aria-live="polite" ref={log}>
          {settings === null ? <p className="hint">Connecting…</p> : null}
          {settings && (!ready || editing) ? <ProviderSetup settings={settings} /> : null}
          {needsConsent ? <CloudConsent settings={settings} /> : null}
          {ready && shown.length === 0 ? (
            <p className="hint">{`Ask in plain words, e.g. "Buy BTC when the 1-hour RSI drops under 25 and sell after a 3% gain; how would it have done last year?" — model ${settings.model ?? ""}${settings.cloud ? "" : " (local)"}.`}</p>
          ) : null}
          {shown.map((e, i) => <Entry key={i} entry={e} />)}
          {turn ? <TurnStatus turn={turn} onRetry={retry} /> : null}
          {error ? <p className="error">{error}</p> : null}
        </div>
        {ready && !needsConsent ? <Composer running={running} /> : null}
      </div>
    </Panel>
  );
}
