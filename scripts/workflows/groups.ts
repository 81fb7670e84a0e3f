/**
 * GitHub's concurrency groups for the replay (act runs each invocation at once): one run holds a group, the next
 * waits its turn, and a newer pending run replaces an older pending one (cancel-in-progress: false).
 */
interface Pending {
  label: string;
  go: (started: boolean) => void;
}

export class Groups {
  private held = new Map<string, string>();
  private pending = new Map<string, Pending>();

  constructor(private say: (s: string) => void) {}

  /** Wait for `group`; false when a newer run replaced this one while it was pending (GitHub cancels it). */
  async acquire(group: string, label: string): Promise<boolean> {
    const holder = this.held.get(group);
    if (holder === undefined) {
      this.held.set(group, label);
      return true;
    }
    this.say(`  ⏸  ${label} waits: concurrency group "${group}" is held by ${holder}`);
    const older = this.pending.get(group);
    if (older) {
      this.say(`  ✖  ${older.label} cancelled: ${label} replaces it as the pending run of "${group}"`);
      older.go(false);
    }
    return new Promise((go) => this.pending.set(group, { label, go }));
  }

  release(group: string): void {
    const next = this.pending.get(group);
    this.pending.delete(group);
    if (!next) return void this.held.delete(group);
    this.held.set(group, next.label);
    this.say(`  ▶  ${next.label} starts: "${group}" is free`);
    next.go(true);
  }
}
