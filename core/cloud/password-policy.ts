/**
 * The password rules of a cloud account, checked on the desktop (the password never leaves it):
 * at least 12 characters, and not an exact, case-insensitive match of a list of common passwords
 * shipped with the project (`common-passwords.txt`: the 10,000 most common, from zxcvbn's ranked list, MIT; see
 * `common-passwords.LICENSE`).
 */
import fs from "node:fs";
import path from "node:path";
import { MIN_PASSWORD_LENGTH } from "../../common/cloud/protocol.ts";

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set(fs.readFileSync(path.join(import.meta.dirname, "common-passwords.txt"), "utf8").split("\n").filter((l) => l !== ""));
  return common;
}

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (commonPasswords().has(password.toLowerCase())) return "the password is on the list of common passwords; choose another";
  return null;
}
