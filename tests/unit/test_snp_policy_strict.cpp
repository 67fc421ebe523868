// The policy fails closed (issue 19, issue 15 §4): every key refuses an empty, duplicated,
// wrong-typed or out-of-range value, naming it; an empty allow-list is an error rather than
// "allow anything"; no policy means the default one, whose floors name AMD's bulletin.
#include <catch2/catch.hpp>

#include <fstream>
#include <unistd.h>

#include "attest/verify/snp_policy.hpp"
#include "attest/verify/strict_json.hpp"

using namespace cvex::attest;

namespace {

struct KeyCase {
    const char* key;
    const char* good;      // a value the key accepts
    const char* boundary;  // the largest (or otherwise extreme) value it accepts
    const char* empty;     // the key's "empty" value: refused
    const char* wrong;     // a value of the wrong type: refused
    const char* over;      // just past the boundary: refused
};

const std::string k48 = "\"" + std::string(96, 'a') + "\"";

// Every key of the policy file (README "Policy file").
std::vector<KeyCase> key_cases() {
    static const std::string list48 = "[" + k48 + "]";
    static const std::string h32 = "\"" + std::string(64, 'b') + "\"";
    static const std::string h64 = "\"0x" + std::string(128, 'c') + "\"";
    static const std::string h16 = "\"" + std::string(32, 'd') + "\"";
    static const std::string h16_over = "\"" + std::string(34, 'd') + "\"";
    static const std::string list48_over = "[\"" + std::string(98, 'a') + "\"]";
    return {
        {"measurements", list48.c_str(), list48.c_str(), "[]", "\"abc\"", list48_over.c_str()},
        {"allow_debug", "false", "true", "\"\"", "0", "null"},
        {"allow_migration_agent", "false", "true", "\"\"", "1", "null"},
        {"allow_smt", "false", "true", "\"\"", "\"yes\"", "null"},
        {"require_single_socket", "true", "false", "\"\"", "[]", "null"},
        {"min_tcb", R"({"snp": 8})", R"({"fmc": 255, "bootloader": 255, "tee": 255, "snp": 255, "microcode": 255})", "{}", "8",
         R"({"snp": 256})"},
        {"min_tcb_per_product", R"({"Milan": {"snp": 24}})", R"({"Turin": {"fmc": 255}})", "{}", "[]", R"({"Bergamo": {"snp": 1}})"},
        {"min_launch_tcb", R"({"tee": 1})", R"({"microcode": 255})", "{}", "\"snp\"", R"({"microcode": -1})"},
        {"min_firmware", R"({"major": 1})", R"({"major": 255, "minor": 255, "build": 255})", "{}", "1.55", R"({"build": 256})"},
        {"vmpl", "0", "3", "\"\"", "\"0\"", "4"},
        {"min_guest_svn", "1", "4294967295", "\"\"", "1.5", "4294967296"},
        {"host_data", h32.c_str(), h32.c_str(), "\"\"", "32", "\"0x\""},
        {"report_data", h64.c_str(), h64.c_str(), "\"\"", "[]", h32.c_str()},
        {"family_id", h16.c_str(), h16.c_str(), "\"\"", "16", h16_over.c_str()},
        {"image_id", h16.c_str(), h16.c_str(), "\"\"", "{}", h16_over.c_str()},
        {"id_key_digests", list48.c_str(), list48.c_str(), "[]", k48.c_str(), list48_over.c_str()},
        {"author_key_digests", list48.c_str(), list48.c_str(), "[]", "true", list48_over.c_str()},
        {"require_author_key", "true", "false", "\"\"", "\"true\"", "null"},
        {"signing_keys", R"(["VCEK"])", R"(["VCEK", "VLEK"])", "[]", "\"VCEK\"", R"(["VCEK", "VCEK"])"},
    };
}

std::string doc(const std::string& key, const std::string& value) { return "{\"" + key + "\": " + value + "}"; }

}  // namespace

TEST_CASE("every policy key: empty, duplicate, wrong-typed and out-of-range values are errors naming it") {
    for (const KeyCase& k : key_cases()) {
        INFO(k.key);
        CHECK(parse_snp_policy(doc(k.key, k.good)));
        CHECK(parse_snp_policy(doc(k.key, k.boundary)));
        for (const char* bad : {k.empty, k.wrong, k.over}) {
            INFO(bad);
            auto p = parse_snp_policy(doc(k.key, bad));
            REQUIRE_FALSE(p);
            CHECK_THAT(p.error().key, Catch::StartsWith(k.key));
        }
        const std::string twice = "{\"" + std::string(k.key) + "\": " + k.good + ", \"" + k.key + "\": " + k.boundary + "}";
        auto dup = parse_snp_policy(twice);
        REQUIRE_FALSE(dup);
        CHECK(dup.error().key == k.key);
        CHECK(dup.error().detail == "appears twice");
    }
}

TEST_CASE("a duplicate key inside a nested object or a list element is named by its path") {
    auto p = parse_snp_policy(R"({"min_tcb": {"snp": 8, "snp": 9}})");
    REQUIRE_FALSE(p);
    CHECK(p.error().message() == "policy min_tcb.snp: appears twice");
    auto j = parse_strict_json(R"([{"a": 1}, {"b": 1, "b": 2}])");
    REQUIRE_FALSE(j);
    CHECK(j.error().path == "[1].b");
    CHECK(parse_strict_json(R"({"a": {"x": 1}, "b": {"x": 1}})"));  // the same key in two objects is fine
}

TEST_CASE("an empty allow-list is an error, not 'allow anything'") {
    for (const char* key : {"measurements", "id_key_digests", "author_key_digests", "signing_keys"}) {
        auto p = parse_snp_policy(doc(key, "[]"));
        REQUIRE_FALSE(p);
        CHECK(p.error().key == key);
        CHECK_THAT(p.error().detail, Catch::Contains("empty list"));
    }
}

TEST_CASE("no policy is the default policy: VMPL 0, no debug, no migration agent, AMD's bulletin floors") {
    const SnpPolicy d = default_snp_policy();
    CHECK(d.name == "default");
    CHECK_FALSE(d.permissive);
    CHECK(d.vmpl == 0u);
    CHECK_FALSE(d.allow_debug);
    CHECK_FALSE(d.allow_migration_agent);
    REQUIRE(d.min_tcb_per_product.count(SnpProduct::kMilan) == 1);
    CHECK(d.min_tcb_per_product.at(SnpProduct::kMilan).snp == 0x18);
    CHECK(d.min_tcb_per_product.at(SnpProduct::kMilan).microcode == 0xDB);
    CHECK(d.min_tcb_per_product.at(SnpProduct::kGenoa).snp == 0x17);
    CHECK(d.min_tcb_per_product.at(SnpProduct::kGenoa).microcode == 0x54);
    CHECK(d.min_tcb_per_product.at(SnpProduct::kTurin).snp == 0x04);
    for (const TcbFloor& f : amd_bulletin_tcb_floors()) {
        CHECK_FALSE(f.min.empty());  // every product has a floor, each naming its bulletin
        CHECK_THAT(std::string(f.source), Catch::Contains("AMD-SB-30"));
    }
    // A file starts from the default: naming one key keeps every other requirement.
    auto p = parse_snp_policy(R"({"min_guest_svn": 1})");
    REQUIRE(p);
    CHECK(p->vmpl == 0u);
    CHECK(p->min_tcb_per_product.size() == d.min_tcb_per_product.size());
    auto named = resolve_snp_policy("default");
    REQUIRE(named);
    CHECK(named->name == "default");
}

TEST_CASE("the permissive profile is named, allows debug and says it is permissive") {
    auto p = resolve_snp_policy("permissive");
    REQUIRE(p);
    CHECK(p->permissive);
    CHECK(p->allow_debug);
    CHECK_FALSE(p->vmpl);
    CHECK(p->min_tcb_per_product.empty());
    auto f = parse_snp_policy(R"({"extends": "permissive", "allow_debug": false})");
    REQUIRE(f);
    CHECK(f->permissive);
    CHECK_FALSE(f->allow_debug);
    CHECK_FALSE(parse_snp_policy(R"({"extends": "lax"})"));
}

TEST_CASE("an empty policy name is an error, never 'no policy'") {
    auto p = resolve_snp_policy("");
    REQUIRE_FALSE(p);
    CHECK_THAT(p.error().message(), Catch::Contains("empty"));
}

TEST_CASE("a policy path that is a directory or a device is refused by name, without reading it") {
    auto dir = load_snp_policy("/tmp");
    REQUIRE_FALSE(dir);
    CHECK_THAT(dir.error().message(), Catch::Contains("is a directory"));
    auto dev = load_snp_policy("/dev/zero");
    REQUIRE_FALSE(dev);
    CHECK_THAT(dev.error().message(), Catch::Contains("character device"));
}
