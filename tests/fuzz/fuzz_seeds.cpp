// Builds the fuzz targets' seed corpora at run time from ../shared/vectors (never copied into the
// repository) — real transactions, RLP, ABI encodings, EIP-712 data, SEV-SNP reports,
// certificates and certificate tables, VRF proofs and OVMF images:
//   fuzz_seeds <out_dir> <target>…   →  <out_dir>/<target>/<name>, one file per seed
// Every target named gets its directory, even without seeds here (its committed ones suffice).
// Hand-made seeds (HTTP requests, RPC answers, configs) are committed in tests/fuzz/corpus/.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "abi_signatures.hpp"
#include "attest/cert/snp_cert.hpp"
#include "attest/registry/published_evidence.hpp"
#include "attest/report/cert_table.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "chain/encoding/abi_type.hpp"
#include "support/vectors.hpp"

namespace fs = std::filesystem;
using cvex::chain::AbiType;
using cvex::chain::AbiValue;
using cvex::Bytes;
using nlohmann::json;

namespace {

class SeedWriter {
public:
    explicit SeedWriter(fs::path root) : root_(std::move(root)) {}

    void add(const std::string& target, const Bytes& seed) {
        const auto h = cvex::chain::keccak256(seed).hex().substr(2, 16);  // content-named: duplicates collapse
        const fs::path dir = root_ / target;
        fs::create_directories(dir);
        std::ofstream(dir / h, std::ios::binary).write(reinterpret_cast<const char*>(seed.data()), static_cast<std::streamsize>(seed.size()));
        ++counts_[target];
    }
    void add(const std::string& target, std::string_view text) { add(target, Bytes(text.begin(), text.end())); }
    const std::map<std::string, size_t>& counts() const { return counts_; }

private:
    fs::path root_;
    std::map<std::string, size_t> counts_;
};

Bytes file_bytes(const fs::path& p) {
    const std::string s = cvex::test::read_file(p.string());
    return Bytes(s.begin(), s.end());
}

// Every 0x-hex string anywhere in a JSON document (transactions, RLP, calldata of the vectors).
void collect_hex(const json& j, std::vector<Bytes>& out) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.size() > 2 && s.rfind("0x", 0) == 0 && s.size() < 2 * 65536)
            if (auto b = cvex::from_hex(s)) out.push_back(std::move(*b));
    } else if (j.is_structured()) {
        for (const auto& e : j) collect_hex(e, out);
    }
}

// A deterministic value of any ABI type: arrays of two, strings and bytes of a few bytes.
AbiValue example(const AbiType& t, unsigned salt) {
    switch (t.kind) {
        case AbiType::kUint: return AbiValue(cvex::chain::U256(salt + 1) << (t.size > 8 ? t.size - 8 : 0));
        case AbiType::kInt: return AbiValue::from_int(salt % 2 ? -static_cast<int64_t>(salt) - 1 : salt);
        case AbiType::kAddress: {
            cvex::chain::Address a;
            a.bytes.fill(static_cast<uint8_t>(0xa0 + salt));
            return AbiValue(a);
        }
        case AbiType::kBool: return AbiValue(salt % 2 == 1);
        case AbiType::kFixedBytes: return AbiValue(Bytes(t.size, static_cast<uint8_t>(0x10 + salt)));
        case AbiType::kBytes: return AbiValue(Bytes(3 + salt % 40, static_cast<uint8_t>(0x20 + salt)));
        case AbiType::kString: return AbiValue(std::string("cvex fuzz ") + std::to_string(salt));
        case AbiType::kArray:
        case AbiType::kFixedArray: {
            AbiValue::List items;
            const size_t n = t.kind == AbiType::kArray ? 2 : t.size;
            for (size_t i = 0; i < n; ++i) items.push_back(example(t.components[0], salt + static_cast<unsigned>(i) + 1));
            return AbiValue(std::move(items));
        }
        case AbiType::kTuple: {
            AbiValue::List items;
            for (size_t i = 0; i < t.components.size(); ++i) items.push_back(example(t.components[i], salt + static_cast<unsigned>(i)));
            return AbiValue(std::move(items));
        }
    }
    return AbiValue();
}

void abi_seeds(SeedWriter& w) {
    for (size_t i = 0; i < cvex::fuzz::kAbiSignatures.size(); ++i) {
        const auto text = cvex::fuzz::kAbiSignatures[i];
        auto sig = cvex::chain::parse_abi_signature(text);
        if (!sig) continue;
        for (const bool outputs : {false, true}) {
            const auto types = outputs ? sig->output_types() : sig->input_types();
            if (outputs && types.empty()) continue;
            std::vector<AbiValue> values;
            for (size_t k = 0; k < types.size(); ++k) values.push_back(example(types[k], static_cast<unsigned>(k)));
            auto enc = cvex::chain::abi_encode(types, values);
            if (!enc) continue;
            Bytes seed{static_cast<uint8_t>(i | (outputs ? 0x80 : 0))};
            seed.insert(seed.end(), enc->begin(), enc->end());
            w.add("abi", seed);
            // abi_text: "type\nvalue" for each parameter, and "signature\n<encoded data>".
            for (size_t k = 0; k < types.size(); ++k)
                w.add("abi_text", types[k].canonical() + "\n" + cvex::chain::format_abi_value(types[k], values[k]));
            std::string with_data(text);
            with_data += "\n";
            with_data.append(enc->begin(), enc->end());
            w.add("abi_text", with_data);
        }
    }
    const json spec = cvex::test::load_vectors("vectors/eth/signing_abi_eip712_vectors.json");
    for (const auto& ex : spec.at("solidity_abi_spec_examples").at("examples")) {
        const std::string sig = ex.at("signature").get<std::string>();
        std::string line = sig + "\n";
        for (const auto& a : ex.at("args_cast_syntax")) line += a.get<std::string>() + " ";
        w.add("abi_text", line);
    }
}

void eth_seeds(SeedWriter& w) {
    for (const auto& e : fs::directory_iterator(cvex::test::shared_path("vectors/eth"))) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() != ".json" || name.rfind("keccak", 0) == 0) continue;
        const json j = json::parse(cvex::test::read_file(e.path().string()));
        std::vector<Bytes> hex;
        collect_hex(j, hex);
        for (const auto& b : hex) {
            w.add("rlp", b);
            if (!b.empty() && (b[0] >= 0xc0 || b[0] <= 0x7f)) w.add("tx", b);
        }
        if (name.rfind("RLPTests", 0) == 0)  // "out" is hex without a 0x sometimes
            for (const auto& [k, c] : j.items())
                if (c.contains("out") && c.at("out").is_string())
                    if (auto b = cvex::from_hex(c.at("out").get<std::string>())) w.add("rlp", *b);
    }
    w.add("eip712", cvex::test::read_file(cvex::test::shared_path("vectors/eth/eip712_mail.json")));
}

void sev_seeds(SeedWriter& w) {
    const fs::path dir = cvex::test::shared_path("vectors/sev");
    std::vector<Bytes> signers, chains, reports;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const std::string name = e.path().filename().string();
        const Bytes b = file_bytes(e.path());
        if (name.ends_with(".report.bin")) {
            w.add("snp", b);
            reports.push_back(b);
        }
        if (name.ends_with(".der") || name.ends_with(".pem")) {
            w.add("cert", b);
            auto certs = cvex::attest::load_certificates(b);
            if (!certs) continue;
            for (const auto& der : *certs) w.add("cert", der);
            (name.rfind("ask_ark", 0) == 0 ? chains : signers).push_back(certs->front());
            if (name.rfind("ask_ark", 0) == 0 && certs->size() == 2) chains.push_back((*certs)[1]);
        }
        // OVMF images: their last 4 KiB hold the GUIDed footer table (shared/README.md).
        if (e.path().parent_path().filename() == "measure" && name.find("ovmf") != std::string::npos)
            w.add("ovmf", Bytes(b.end() - static_cast<long>(std::min<size_t>(b.size(), 4096)), b.end()));
    }
    // Published evidence as a validator fetches it: a real report and its signer.
    if (!reports.empty() && !signers.empty()) {
        cvex::attest::PublishedEvidence e;
        e.chain_id = 31337;
        e.report = reports.front();
        e.signer_cert = signers.front();
        e.provider = "configfs";
        e.registration_id = 1;
        w.add("evidence", cvex::attest::to_json(e));
        e.simulated = true;
        e.vrf_public_key = Bytes(33, 2);
        w.add("evidence", cvex::attest::to_json(e));
    }
    // Certificate tables as a host attaches them: VCEK/VLEK, ASK, ARK (and one empty table).
    w.add("cert_table", Bytes(24, 0));
    for (size_t i = 0; i < signers.size(); ++i) {
        cvex::attest::CertTable t;
        t.push_back({cvex::attest::kGuidVcek, signers[i]});
        if (chains.size() >= 2) {
            t.push_back({cvex::attest::kGuidAsk, chains[(2 * i) % chains.size()]});
            t.push_back({cvex::attest::kGuidArk, chains[(2 * i + 1) % chains.size()]});
        }
        w.add("cert_table", cvex::attest::serialize_cert_table(t));
    }
}

void vrf_seeds(SeedWriter& w) {
    auto add = [&](uint8_t suite, const json& v) {
        Bytes seed{suite};
        for (const char* key : {"pi", "pk", "alpha"}) {
            if (!v.contains(key) || !v.at(key).is_string()) return;
            auto b = cvex::from_hex(v.at(key).get<std::string>());
            if (!b) return;
            seed.insert(seed.end(), b->begin(), b->end());
        }
        w.add("vrf", seed);
    };
    const json rfc = cvex::test::load_vectors("vectors/vrf/ecvrf_vectors.json");
    for (const auto& v : rfc.at("secp256k1_sha256_tai")) add(0, v);
    for (const auto& v : rfc.at("p256_sha256_tai")) add(1, v);
    const json ati = cvex::test::load_vectors("vectors/vrf/ecvrf_secp256k1_atikayda.json");
    for (const char* set : {"vectors", "negative_vectors"})
        if (ati.contains(set))
            for (const auto& v : ati.at(set)) add(0, v);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: fuzz_seeds <out_dir> <target>...\n");
        return 2;
    }
    try {
        SeedWriter w{fs::path(argv[1])};
        for (int i = 2; i < argc; ++i) fs::create_directories(fs::path(argv[1]) / argv[i]);
        eth_seeds(w);
        abi_seeds(w);
        sev_seeds(w);
        vrf_seeds(w);
        for (const auto& [target, n] : w.counts()) std::printf("%s: %zu seeds\n", target.c_str(), n);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: cannot build the seed corpora from %s: %s\n", CVEX_SHARED_DIR, e.what());
        return 2;
    }
    return 0;
}
