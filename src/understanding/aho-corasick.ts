/** Aho–Corasick: finds every listed pattern inside a text in one pass (for scripts written without spaces). */

interface AcNode {
  next: Map<string, number>;
  fail: number;
  /** Pattern ids ending here, including those reached through fail links. */
  out: number[];
}

/** A match: pattern id and the [start, end) range in the searched string. */
export interface AcMatch {
  pattern: number;
  start: number;
  end: number;
}

/** Builds the automaton once; `search` is linear in the text plus the matches reported. */
export class AhoCorasick {
  private readonly nodes: AcNode[] = [{ next: new Map(), fail: 0, out: [] }];
  private readonly lengths: number[] = [];

  constructor(patterns: readonly string[]) {
    patterns.forEach((pattern, id) => {
      let at = 0;
      for (const ch of pattern) {
        let to = this.nodes[at]!.next.get(ch);
        if (to === undefined) {
          to = this.nodes.length;
          this.nodes.push({ next: new Map(), fail: 0, out: [] });
          this.nodes[at]!.next.set(ch, to);
        }
        at = to;
      }
      this.nodes[at]!.out.push(id);
      this.lengths[id] = pattern.length;
    });
    const queue: number[] = [];
    for (const to of this.nodes[0]!.next.values()) queue.push(to);
    for (let q = 0; q < queue.length; q++) {
      const at = queue[q]!;
      for (const [ch, to] of this.nodes[at]!.next) {
        let f = this.nodes[at]!.fail;
        while (f && !this.nodes[f]!.next.has(ch)) f = this.nodes[f]!.fail;
        const fail = this.nodes[f]!.next.get(ch);
        this.nodes[to]!.fail = fail !== undefined && fail !== to ? fail : 0;
        this.nodes[to]!.out.push(...this.nodes[this.nodes[to]!.fail]!.out);
        queue.push(to);
      }
    }
  }

  get size(): number {
    return this.lengths.length;
  }

  /** Every occurrence in `text`; `steps` counts transitions for linear-work checks. */
  search(text: string, report: (match: AcMatch) => void): number {
    let at = 0;
    let steps = 0;
    let i = 0;
    for (const ch of text) {
      while (at && !this.nodes[at]!.next.has(ch)) {
        at = this.nodes[at]!.fail;
        steps++;
      }
      at = this.nodes[at]!.next.get(ch) ?? 0;
      steps++;
      i += ch.length;
      for (const pattern of this.nodes[at]!.out) report({ pattern, start: i - this.lengths[pattern]!, end: i });
    }
    return steps;
  }
}
