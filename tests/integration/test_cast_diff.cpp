// Differential test: cvex's cast-compatible subcommands against Foundry's cast 1.7.1 on
// randomly generated inputs. Seeded and reproducible: CVEX_DIFF_SEED overrides the seed, and
// every mismatch prints the seed and both command lines.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "base/bytes.hpp"
#include "support/process.hpp"

using cvex::test::run_process;

namespace {

const std::string kCvex = std::string(CVEX_BIN_DIR) + "/cvex";
const std::string kCast = std::string(CVEX_SOURCE_DIR) + "/node_modules/.bin/cast";
constexpr int kCasesPerCommand = 40;  // 8 commands × 40 = 320 inputs

uint64_t seed() {
    const char* s = std::getenv("CVEX_DIFF_SEED");
    return s ? std::strtoull(s, nullptr, 0) : 0xC0FFEEull;
}

class Gen {
public:
    explicit Gen(uint64_t seed) : rng_(seed) {}

    uint64_t below(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }
    bool coin() { return below(2) == 1; }
    cvex::Bytes bytes(size_t n) {
        cvex::Bytes b(n);
        for (auto& x : b) x = static_cast<uint8_t>(below(256));
        return b;
    }
    std::string hex(size_t n) { return cvex::to_hex(bytes(n)); }
    std::string word(size_t max_len) {
        static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
        std::string s(1 + below(max_len), 'a');
        for (auto& c : s) c = kChars[below(sizeof kChars - 1)];
        return s;
    }
    // A number of at most `bits` bits, as 0x-hex or decimal-looking small values; half at full width.
    std::string uint(unsigned bits) {
        const unsigned b = coin() ? bits : static_cast<unsigned>(below(bits + 1));
        if (b <= 16) return std::to_string(below(1ull << b));
        cvex::Bytes raw = bytes((b + 7) / 8);
        if (b % 8) raw[0] &= static_cast<uint8_t>((1u << (b % 8)) - 1);
        const std::string h = cvex::to_hex(raw, false);
        const size_t nz = h.find_first_not_of('0');
        return nz == std::string::npos ? "0" : "0x" + h.substr(nz);
    }
    std::string address() { return cvex::to_hex(bytes(20)); }
    // A secp256k1 secret key below the group order n (top byte < 0xfe) and non-zero.
    std::string secret_key() {
        auto k = bytes(32);
        k[0] = static_cast<uint8_t>(k[0] % 0xfe);
        k[31] |= 1;
        return cvex::to_hex(k);
    }

private:
    std::mt19937_64 rng_;
};

// An ABI type tree, printed as a Solidity type and filled with values in cast's argument syntax.
struct AbiType {
    enum Kind { kUint, kInt, kAddress, kBool, kFixedBytes, kBytes, kString, kArray, kFixedArray, kTuple } kind;
    unsigned size = 0;  // bits for ints, byte count for bytesN, length for T[k]
    std::vector<std::shared_ptr<AbiType>> children;

    std::string name() const {
        switch (kind) {
            case kUint: return "uint" + std::to_string(size);
            case kInt: return "int" + std::to_string(size);
            case kAddress: return "address";
            case kBool: return "bool";
            case kFixedBytes: return "bytes" + std::to_string(size);
            case kBytes: return "bytes";
            case kString: return "string";
            case kArray: return children[0]->name() + "[]";
            case kFixedArray: return children[0]->name() + "[" + std::to_string(size) + "]";
            case kTuple: {
                std::string s = "(";
                for (size_t i = 0; i < children.size(); ++i) s += (i ? "," : "") + children[i]->name();
                return s + ")";
            }
        }
        return "";
    }

    std::string value(Gen& g) const {
        switch (kind) {
            case kUint: return g.uint(size);
            case kInt: {
                const std::string v = g.uint(size - 1);
                return g.coin() && v != "0" && v.rfind("0x", 0) != 0 ? "-" + v : v;
            }
            case kAddress: return g.address();
            case kBool: return g.coin() ? "true" : "false";
            case kFixedBytes: return g.hex(size);
            case kBytes: return g.hex(g.below(70));
            case kString: return g.word(40);
            case kArray:
            case kFixedArray: {
                const size_t n = kind == kArray ? g.below(4) : size;
                std::string s = "[";
                for (size_t i = 0; i < n; ++i) s += (i ? "," : "") + children[0]->value(g);
                return s + "]";
            }
            case kTuple: {
                std::string s = "(";
                for (size_t i = 0; i < children.size(); ++i) s += (i ? "," : "") + children[i]->value(g);
                return s + ")";
            }
        }
        return "";
    }
};

std::shared_ptr<AbiType> random_type(Gen& g, int depth) {
    auto t = std::make_shared<AbiType>();
    const uint64_t pick = g.below(depth >= 2 ? 7 : 10);
    switch (pick) {
        case 0: t->kind = AbiType::kUint, t->size = 8 * static_cast<unsigned>(1 + g.below(32)); break;
        case 1: t->kind = AbiType::kInt, t->size = 8 * static_cast<unsigned>(1 + g.below(32)); break;
        case 2: t->kind = AbiType::kAddress; break;
        case 3: t->kind = AbiType::kBool; break;
        case 4: t->kind = AbiType::kFixedBytes, t->size = static_cast<unsigned>(1 + g.below(32)); break;
        case 5: t->kind = AbiType::kBytes; break;
        case 6: t->kind = AbiType::kString; break;
        case 7: t->kind = AbiType::kArray, t->children = {random_type(g, depth + 1)}; break;
        case 8: t->kind = AbiType::kFixedArray, t->size = static_cast<unsigned>(1 + g.below(3)), t->children = {random_type(g, depth + 1)}; break;
        default:
            t->kind = AbiType::kTuple;
            for (size_t i = 0, n = 1 + g.below(3); i < n; ++i) t->children.push_back(random_type(g, depth + 1));
    }
    return t;
}

struct Signature {
    std::string types;               // "(uint8,string)" without the function name
    std::vector<std::string> values;
};

Signature random_signature(Gen& g, size_t min_params = 0) {
    Signature s;
    s.types = "(";
    for (size_t i = 0, n = min_params + g.below(5); i < n; ++i) {
        auto t = random_type(g, 0);
        if (i) s.types.push_back(',');
        s.types.append(t->name());
        s.values.push_back(t->value(g));
    }
    s.types += ")";
    return s;
}

// A random JSON array of hex strings and nested arrays, as cast to-rlp reads it.
std::string random_rlp_json(Gen& g, int depth) {
    std::string s = "[";
    for (size_t i = 0, n = g.below(depth == 0 ? 5 : 4); i < n; ++i) {
        s += i ? "," : "";
        if (depth < 3 && g.below(3) == 0) {
            s += random_rlp_json(g, depth + 1);
        } else {
            const uint64_t len_pick = g.below(6);
            const size_t len = len_pick == 0 ? 0 : len_pick == 1 ? 1 : len_pick == 5 ? 56 + g.below(80) : g.below(55);
            s += "\"" + g.hex(len) + "\"";
        }
    }
    return s + "]";
}

std::vector<std::string> with(std::vector<std::string> head, const std::vector<std::string>& tail) {
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
}

// Runs both programs and requires identical stdout and success.
void require_same(const std::vector<std::string>& cvex_args, const std::vector<std::string>& cast_args,
                  const std::vector<std::string>& cvex_env = {}) {
    const auto ours = run_process(with({kCvex}, cvex_args), cvex_env);
    const auto theirs = run_process(with({kCast}, cast_args));
    std::string shown = "cvex";
    for (const auto& a : cvex_args) shown += " '" + a + "'";
    INFO("seed " << seed() << "\n" << shown << "\ncast stderr: " << theirs.err << "\ncvex stderr: " << ours.err);
    REQUIRE(theirs.exit_code == 0);
    REQUIRE(ours.exit_code == 0);
    REQUIRE(ours.out == theirs.out);
}

}  // namespace

TEST_CASE("cvex keccak equals cast keccak on random hex and text") {
    Gen g(seed() ^ 1);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const std::string in = g.coin() ? g.hex(g.below(300)) : g.word(80);
        require_same({"keccak", in}, {"keccak", in});
    }
}

TEST_CASE("cvex abi-encode equals cast abi-encode on random signatures and values") {
    Gen g(seed() ^ 2);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const Signature s = random_signature(g);
        const auto args = with({"abi-encode", "f" + s.types}, s.values);
        require_same(args, args);
    }
}

TEST_CASE("cvex calldata equals cast calldata on random signatures and values") {
    Gen g(seed() ^ 3);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const Signature s = random_signature(g);
        const auto args = with({"calldata", "f" + g.word(12) + s.types}, s.values);
        require_same(args, args);
    }
}

TEST_CASE("cvex decode-abi equals cast decode-abi on data cast encoded") {
    Gen g(seed() ^ 4);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const Signature s = random_signature(g, 1);  // cast refuses to decode nothing
        const auto encoded = run_process(with({kCast, "abi-encode", "f" + s.types}, s.values));
        REQUIRE(encoded.exit_code == 0);
        const std::string data = encoded.out.substr(0, encoded.out.find('\n'));
        require_same({"decode-abi", "f()" + s.types, data}, {"decode-abi", "f()" + s.types, data});
    }
}

TEST_CASE("cvex to-rlp equals cast to-rlp on random nested lists") {
    Gen g(seed() ^ 5);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const std::string json = random_rlp_json(g, 0);
        require_same({"to-rlp", json}, {"to-rlp", json});
    }
}

TEST_CASE("cvex from-rlp equals cast from-rlp on random encodings") {
    Gen g(seed() ^ 6);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const auto encoded = run_process({kCast, "to-rlp", random_rlp_json(g, 0)});
        REQUIRE(encoded.exit_code == 0);
        const std::string rlp = encoded.out.substr(0, encoded.out.find('\n'));
        require_same({"from-rlp", rlp}, {"from-rlp", rlp});
    }
}

TEST_CASE("cvex mktx and cvex address equal cast mktx and cast wallet address on random transactions") {
    Gen g(seed() ^ 7);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const std::string key = g.secret_key();
        const std::vector<std::string> env = {"CVEX_PRIVATE_KEY=" + key};
        require_same({"address"}, {"wallet", "address", "--private-key", key}, env);

        const std::string chain = std::to_string(1 + g.below(100000));
        const std::string nonce = std::to_string(g.below(1000));
        const std::string gas = std::to_string(21000 + g.below(10000000));
        const std::string value = g.uint(96);
        const bool create = g.below(5) == 0;
        const std::string data = g.coin() ? g.hex(g.below(100)) : "";
        const std::string to = g.address();

        std::vector<std::string> ours = {"mktx", "--chain-id", chain, "--nonce", nonce, "--gas-limit", gas, "--value", value};
        std::vector<std::string> theirs = {"mktx", "--private-key", key, "--chain", chain, "--nonce", nonce, "--gas-limit", gas, "--value", value};
        if (g.coin()) {
            const std::string price = g.uint(48);
            ours = with(ours, {"--gas-price", price, "--legacy"});
            theirs = with(theirs, {"--gas-price", price, "--legacy"});
        } else {
            const std::string max_fee = g.uint(48), tip = g.uint(32);
            ours = with(ours, {"--max-fee", max_fee, "--priority-fee", tip});
            theirs = with(theirs, {"--gas-price", max_fee, "--priority-gas-price", tip});
        }
        if (create) {
            const std::string code = data.empty() ? "0x00" : data;
            ours = with(ours, {"--data", code});
            theirs = with(theirs, {"--create", code});
        } else {
            ours = with(ours, {"--to", to});
            theirs.push_back(to);
            if (!data.empty()) {
                ours = with(ours, {"--data", data});
                theirs.push_back(data);
            }
        }
        require_same(ours, theirs, env);
    }
}

TEST_CASE("cvex decode-tx gives the fields, hash and signer cast decode-tx gives") {
    // cast prints its JSON as a JSON string; ours is the object itself. Compare the objects.
    Gen g(seed() ^ 8);
    for (int i = 0; i < kCasesPerCommand; ++i) {
        const std::string key = g.secret_key();
        std::vector<std::string> mk = {kCast, "mktx", "--private-key", key, "--chain", std::to_string(1 + g.below(5000)), "--nonce",
                                       std::to_string(g.below(100)), "--gas-limit", std::to_string(21000 + g.below(100000)),
                                       "--value", g.uint(64)};
        if (g.coin()) mk = with(mk, {"--gas-price", g.uint(40), "--legacy"});
        else mk = with(mk, {"--gas-price", g.uint(40), "--priority-gas-price", g.uint(20)});
        if (g.below(4) == 0) {
            std::string code = "0x6000";
            code.append(g.hex(g.below(40)), 2);
            mk = with(mk, {"--create", code});
        }
        else mk.push_back(g.address());
        const auto raw = run_process(mk);
        REQUIRE(raw.exit_code == 0);
        const std::string tx = raw.out.substr(0, raw.out.find('\n'));
        const auto theirs = run_process({kCast, "decode-tx", tx});
        const auto ours = run_process({kCvex, "decode-tx", tx});
        INFO("seed " << seed() << " tx " << tx << "\n" << ours.err);
        REQUIRE(theirs.exit_code == 0);
        REQUIRE(ours.exit_code == 0);
        const auto expected = nlohmann::json::parse(nlohmann::json::parse(theirs.out).get<std::string>());
        CHECK(nlohmann::json::parse(ours.out) == expected);
    }
}
