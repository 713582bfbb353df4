/**
 * A faster priority queue for qrcode's segment choice, popping the same entries in the same order.
 *
 * QRCode.create picks the shortest mix of numeric, alphanumeric and byte segments with dijkstrajs's
 * `find_path` over a graph of every split. That package's queue is an array sorted again on every push (a
 * stable sort by cost, so entries of equal cost leave in the order they came) and shifted on every pop: for a
 * signed permit's URL (~1,200 characters, ~900 graph nodes) that sorting is most of the ~2 ms a symbol's
 * segments take, and a FEE_PAID encodes two symbols. A binary heap ordered by (cost, arrival) pops exactly the
 * entry the sorted array would shift, so the search relaxes the same edges in the same order and keeps the same
 * predecessors: the same segments, the same symbol. test/services/qr-segments.test.ts checks it against the
 * package's own queue.
 *
 * dijkstrajs makes its queue through its module object (`dijkstra.PriorityQueue.make()`) at each search, so
 * replacing that one function is enough; qrcode and this module load the same copy from node_modules.
 */
import { createRequire } from "node:module";

type Entry = { value: string; cost: number };
type Queue = { push(value: string, cost: number): void; pop(): Entry | undefined; empty(): boolean };
type DijkstraModule = {
  PriorityQueue: { make: (opts?: unknown) => Queue };
  find_path: (graph: Record<string, Record<string, number>>, s: string, d: string) => string[];
};

export const packageDijkstra = createRequire(import.meta.url)("dijkstrajs") as DijkstraModule;
/** The package's own queue, kept for the tests. */
export const packageMakeQueue = packageDijkstra.PriorityQueue.make;

/** A min-heap of entries by cost, then by arrival (the array's stable sort keeps equal costs in arrival order). */
export function makeHeapQueue(): Queue {
  const values: string[] = [];
  const costs: number[] = [];
  const arrivals: number[] = [];
  let arrived = 0;
  const before = (a: number, b: number) => costs[a]! < costs[b]! || (costs[a] === costs[b] && arrivals[a]! < arrivals[b]!);
  const swap = (a: number, b: number) => {
    [values[a], values[b]] = [values[b]!, values[a]!];
    [costs[a], costs[b]] = [costs[b]!, costs[a]!];
    [arrivals[a], arrivals[b]] = [arrivals[b]!, arrivals[a]!];
  };
  return {
    push(value, cost) {
      let at = values.length;
      values.push(value);
      costs.push(cost);
      arrivals.push(arrived++);
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!before(at, parent)) break;
        swap(at, parent);
        at = parent;
      }
    },
    pop() {
      if (values.length === 0) return undefined;
      const top = { value: values[0]!, cost: costs[0]! };
      const last = values.length - 1;
      swap(0, last);
      values.pop();
      costs.pop();
      arrivals.pop();
      let at = 0;
      for (;;) {
        const left = 2 * at + 1;
        const right = left + 1;
        let least = at;
        if (left < last && before(left, least)) least = left;
        if (right < last && before(right, least)) least = right;
        if (least === at) break;
        swap(at, least);
        at = least;
      }
      return top;
    },
    empty: () => values.length === 0,
  };
}

/** Puts the heap in the package's place (idempotent). */
export function installFastQrSegments(): void {
  packageDijkstra.PriorityQueue.make = makeHeapQueue;
}
