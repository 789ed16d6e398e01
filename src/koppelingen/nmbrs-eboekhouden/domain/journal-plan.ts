/**
 * What a run still needs in e-Boekhouden, from its ledger entries and the journal's current hash.
 * Pure, so every crash point (a booking pending, a reversal half done, a version half posted) is
 * one unit-tested case instead of a branch buried in an activity.
 *
 * The goal state of a run: the memorialen of exactly one version, the one whose hash is the
 * journal's current hash, are booked and not reversed; every other booked version is reversed.
 * Versions count up; a journal that changes back to an earlier content gets a new version.
 */
import type { EntryStatus } from './types';

export interface RunEntry {
  /** Ledger key. */
  key: string;
  role: 'boeking' | 'tegenboeking';
  version: number;
  /** Transaction index within its version. */
  tx: number;
  /** How many memorialen the version has. */
  txCount: number;
  status: EntryStatus;
  attempts: number;
  /** Journal hash of the version this entry belongs to. */
  runHash: string;
  /** Tegenboeking: the key of the boeking it reverses. */
  reverses?: string;
}

export interface RunPlan {
  /**
   * new: nothing booked yet (earlier attempts, if any, were refused); changed: a booked version is
   * outdated; resume: finish an interrupted change or posting.
   */
  kind: 'unchanged' | 'new' | 'changed' | 'resume';
  /** The version that should end up booked. */
  version: number;
  /** The version being replaced (highest other booked version), if any. */
  replaces?: number;
  /** Outdated boekingen whose outcome is unknown (pending): ask e-Boekhouden first, then plan again. */
  resolve: string[];
  /** Outdated boekingen that are booked and not reversed yet. */
  reverse: string[];
  /** Transaction indices of `version` not booked yet. */
  post: number[];
  /**
   * The books are between two consistent states (part of a change or posting already happened or
   * may have): such work is finished, never abandoned, even when a period closed in between.
   */
  started: boolean;
}

export function planRun(entries: RunEntry[], hash: string, txCount: number): RunPlan {
  const boekingen = entries.filter((e) => e.role === 'boeking');
  const reversed = new Set(entries.filter((e) => e.role === 'tegenboeking' && e.status === 'posted').map((e) => e.reverses));
  const maxVersion = boekingen.reduce((m, b) => Math.max(m, b.version), 0);
  const latest = boekingen.filter((b) => b.version === maxVersion);
  const version = maxVersion > 0 && latest.every((b) => b.runHash === hash) ? maxVersion : maxVersion + 1;

  const stale = boekingen.filter((b) => b.version !== version);
  const resolve = stale.filter((b) => b.status === 'pending').map((b) => b.key);
  const reverse = stale.filter((b) => b.status === 'posted' && !reversed.has(b.key)).map((b) => b.key);
  const booked = new Set(boekingen.filter((b) => b.version === version && b.status === 'posted').map((b) => b.tx));
  const post = Array.from({ length: txCount }, (_v, i) => i).filter((i) => !booked.has(i));
  const replacedVersions = stale.filter((b) => b.status === 'posted').map((b) => b.version);
  const replaces = replacedVersions.length ? Math.max(...replacedVersions) : undefined;

  // Consistent: nothing booked and nothing ever reversed, or exactly one complete version booked.
  const active = boekingen.filter((b) => b.status === 'posted' && !reversed.has(b.key));
  const activeVersions = new Set(active.map((b) => b.version));
  const anyReversal = reversed.size > 0;
  const consistent =
    (active.length === 0 && !anyReversal) || (activeVersions.size === 1 && active.length === active[0].txCount);
  // A write whose outcome is unknown may have happened: count it as started.
  const uncertain = entries.some(
    (e) => e.status === 'pending' && e.attempts > 0 && (e.role === 'tegenboeking' || e.version === version),
  );
  const started = !consistent || uncertain;

  const nothingToDo = resolve.length === 0 && reverse.length === 0 && post.length === 0;
  const kind: RunPlan['kind'] = nothingToDo
    ? 'unchanged'
    : !boekingen.some((b) => b.status === 'posted' || b.status === 'pending')
      ? 'new'
      : version > maxVersion && !started
        ? 'changed'
        : 'resume';
  return { kind, version, ...(replaces !== undefined ? { replaces } : {}), resolve, reverse, post, started };
}
