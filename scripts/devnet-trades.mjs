// scripts/devnet.sh's view of the bot's trades: `cvex bot report` on stdin, the guest's log
// (which says which trades were back-runs, "back-run after 0x…") and the RPC URL.
//   node scripts/devnet-trades.mjs lines RPC LOG   one JSON line per trade: bot, trigger ("log" or
//                                                  "pending"), block, tx, target, amount_in,
//                                                  amount_out, and after_tx for a back-run
//   node scripts/devnet-trades.mjs count RPC LOG   how many back-runs landed in the block of their
//                                                  pending transaction, after it (receipts)
//   node scripts/devnet-trades.mjs logged RPC LOG  how many of the report's trades the log has seen mined
import { readFileSync } from "node:fs";

const [mode, rpc, logPath] = process.argv.slice(2);
const report = JSON.parse(readFileSync(0, "utf8"));
const log = readFileSync(logPath, "utf8");
const after = new Map(), mined = new Set();
for (const m of log.matchAll(/trade mined (0x[0-9a-fA-F]{64})[^\n]*/g)) {
  mined.add(m[1].toLowerCase());
  const b = m[0].match(/back-run after (0x[0-9a-fA-F]{64})/);
  if (b) after.set(m[1].toLowerCase(), b[1].toLowerCase());
}

async function receipt(hash) {
  const r = await fetch(rpc, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getTransactionReceipt", params: [hash] }) });
  return (await r.json()).result;
}

if (mode === "lines") {
  for (const t of report.trades) {
    const a = after.get(t.tx.toLowerCase());
    const line = { bot: "arb", trigger: a ? "pending" : "log", block: t.block, tx: t.tx, target: t.target,
                   amount_in: t.amount_in, amount_out: t.amount_out };
    if (a) line.after_tx = a;
    console.log(JSON.stringify(line));
  }
} else if (mode === "count") {
  let n = 0;
  for (const t of report.trades) {
    const a = after.get(t.tx.toLowerCase());
    if (!a) continue;
    const [mine, theirs] = await Promise.all([receipt(t.tx), receipt(a)]);
    if (mine && theirs && mine.blockNumber === theirs.blockNumber && parseInt(mine.transactionIndex, 16) > parseInt(theirs.transactionIndex, 16)) n++;
  }
  console.log(n);
} else if (mode === "logged") {
  console.log(report.trades.filter((t) => mined.has(t.tx.toLowerCase())).length);
} else {
  console.error("usage: node scripts/devnet-trades.mjs lines|count|logged RPC LOG < report.json");
  process.exit(2);
}
