// Peer benchmark for bench_transaction: the same EIP-1559 transfer built, hashed, signed and
// encoded, then decoded with its sender recovered, by ethers.js 6 (a devDependency used only
// here). Prints median microseconds per operation, in the same shape as the C++ benchmark.
import { Wallet, Transaction } from 'ethers';

const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
const wallet = new Wallet(KEY);
const tx = {
  type: 2, chainId: 1, nonce: 7, maxPriorityFeePerGas: 2_000_000_000n, maxFeePerGas: 30_000_000_000n,
  gasLimit: 21000n, to: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', value: 10n ** 18n, data: '0x',
};

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

function measure(name, fn, iters = 2000, rounds = 5) {
  for (let i = 0; i < 200; i++) fn(i);  // warm up the JIT
  const perOp = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) fn(i);
    perOp.push(Number(process.hrtime.bigint() - t0) / 1000 / iters);
  }
  console.log(`${name}_median ${median(perOp).toFixed(2)} us`);
}

function signOne(i) {
  const t = Transaction.from({ ...tx, nonce: i });
  t.signature = wallet.signingKey.sign(t.unsignedHash);
  return t.serialized;
}

const raw = signOne(7);
measure('ethers_build_sign_encode_eip1559', signOne);
measure('ethers_decode_recover_eip1559', () => Transaction.from(raw).from);
