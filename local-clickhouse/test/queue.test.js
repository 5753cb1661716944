'use strict';
// The statement queue's order: reads before queued writes, with writes still getting their share.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { SerialQueue } = require('../server.js');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Queues jobs while a first write holds the queue; each records its name when it runs.
function run(queue, order, name, isRead, ms = 0) {
  return queue.push(async () => { order.push(name); if (ms) await sleep(ms); }, isRead);
}

test('0 reads per write keeps arrival order', async () => {
  const q = new SerialQueue(0);
  const order = [];
  await Promise.all([run(q, order, 'w1', false, 20), run(q, order, 'w2', false), run(q, order, 'r1', true),
    run(q, order, 'w3', false), run(q, order, 'r2', true)]);
  assert.deepEqual(order, ['w1', 'w2', 'r1', 'w3', 'r2']);
});

test('queued reads run before queued writes, then the oldest write gets its turn', async () => {
  const q = new SerialQueue(2);
  const order = [];
  // w1 runs 20 ms: the reads then have priority for ~40 ms; r1..r3 take 5 ms each, so they all go first
  await Promise.all([run(q, order, 'w1', false, 20), run(q, order, 'w2', false), run(q, order, 'r1', true, 5),
    run(q, order, 'w3', false), run(q, order, 'r2', true, 5), run(q, order, 'r3', true, 5)]);
  assert.deepEqual(order, ['w1', 'r1', 'r2', 'r3', 'w2', 'w3']);
});

test('writes are not starved by a steady stream of reads', async () => {
  const q = new SerialQueue(2);
  const order = [];
  const done = [run(q, order, 'w1', false, 10), run(q, order, 'w2', false, 10)];
  // reads keep arriving, each 5 ms, always one queued: w2 still runs once the reads' 20 ms head start is used up
  for (let i = 0; i < 12; i++) {
    done.push(run(q, order, 'r' + i, true, 5));
  }
  await Promise.all(done);
  const w2 = order.indexOf('w2');
  assert.ok(w2 > 1 && w2 < 8, `w2 ran at position ${w2} of ${order.join(',')}`);
});
