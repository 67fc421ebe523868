// Peer for bench_sender: ethers.js 6 sends N signed transfers from one key with the same
// concurrency (callers sharing a NonceManager), then waits until all are mined.
// usage: node ethers_sender.mjs <rpc-url> <private-key> <count> <concurrency>
import { JsonRpcProvider, Wallet, NonceManager } from 'ethers';

const [url, key, countArg, concArg] = process.argv.slice(2);
const count = Number(countArg), concurrency = Number(concArg);
const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1, pollingInterval: 50 });
const wallet = new NonceManager(new Wallet(key, provider));
const to = '0x000000000000000000000000000000000000dEaD';

const start = process.hrtime.bigint();
const sent = [];
let next = 0;
async function caller() {
  while (next < count) {
    next++;
    sent.push(await wallet.sendTransaction({ to, value: 1n, gasLimit: 21000n }));
  }
}
await Promise.all(Array.from({ length: concurrency }, caller));
// Waiting on each in turn: thousands of concurrent tx.wait() pollers would flood the node and
// measure the polling, not the sending.
for (const tx of sent) await tx.wait();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ sent: sent.length, seconds, per_second: sent.length / seconds }));
process.exit(0);
