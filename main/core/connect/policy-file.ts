import { readFileSync } from 'node:fs';
import { desktopPolicySchema, type DesktopPolicy } from '../../../protocol/desktop-policy';
import { describeIssues, ParleyError } from '../../../protocol/errors';
import { readServerPattern } from './profiles';

/** Where admins deploy the file: a machine-wide location users cannot write to. */
const policyPaths: Record<string, string> = {
  linux: '/etc/parley/policy.json',
  darwin: '/Library/Application Support/Parley/policy.json',
  win32: 'C:\\ProgramData\\Parley\\policy.json',
};

/** The policy file's path; PARLEY_POLICY_FILE overrides it (tests, unusual deployments). */
export function policyFilePath(platform: string, env: NodeJS.ProcessEnv): string {
  const override = env.PARLEY_POLICY_FILE;
  if (override) return override;
  // The other Unixes Node runs on keep machine-wide configuration in /etc as Linux does.
  return policyPaths[platform] ?? '/etc/parley/policy.json';
}

export type LoadedPolicy =
  | { status: 'none'; policy: DesktopPolicy }
  | { status: 'loaded'; policy: DesktopPolicy; path: string }
  | { status: 'invalid'; path: string; error: string };

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** JSON.parse names a character offset in some Node versions; an admin's editor shows lines. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined || /\bline \d+/.test(message)) return `not valid JSON (${message})`;
  const before = text.slice(0, Number(position)).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `not valid JSON (${message}, line ${line} column ${column})`;
}

/** The schema cannot tell a well-formed string from a usable server pattern; this can. */
function serverPatternProblem(policy: DesktopPolicy): string | undefined {
  for (const [index, entry] of (policy.allowedServers ?? []).entries()) {
    const pattern = readServerPattern(entry);
    if ('problem' in pattern) return `allowedServers.${index}: ${pattern.problem}`;
  }
  return undefined;
}

/** Reads the policy once at start. Anything but a missing file or a valid policy fails closed. */
export function loadDesktopPolicy(path: string): LoadedPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return { status: 'none', policy: {} };
    // An admin deployed something we cannot read; guessing it says nothing would defeat it.
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'invalid', path, error: `cannot be read (${reason})` };
  }
  // Notepad saves UTF-8 with a byte order mark, which JSON.parse refuses.
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return { status: 'invalid', path, error: describeJsonError(json, error) };
  }
  const parsed = desktopPolicySchema.safeParse(raw);
  if (!parsed.success) return { status: 'invalid', path, error: describeIssues(parsed.error) };
  const problem = serverPatternProblem(parsed.data);
  if (problem !== undefined) return { status: 'invalid', path, error: problem };
  return { status: 'loaded', policy: parsed.data, path };
}

/** The policy to enforce, or a refusal to connect at all while the admin's file is broken. */
export function effectivePolicy(loaded: LoadedPolicy): DesktopPolicy {
  if (loaded.status === 'invalid') {
    throw new ParleyError(
      'policy_invalid',
      `The connection policy file at ${loaded.path} is invalid: ${loaded.error}; Parley will not connect until it is fixed.`,
    );
  }
  return loaded.policy;
}
