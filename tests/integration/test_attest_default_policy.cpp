// The default policy (issue 15 §4) against the 10 real reports of ../shared/vectors/sev: which
// pass, which fail and why. The same table is in attest/README.md; this test asserts both.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "support/attest_cli.hpp"

using namespace cvex::test;

namespace {

struct Row {
    const char* name;
    const char* verdict;
    std::set<std::string> failing;  // the policy checks that fail (chain and signature all pass)
};

const std::vector<Row>& expected_table() {
    static const std::string milan = "policy.min_tcb_per_product.Milan.";
    static const std::vector<Row> rows = {
        {"milan-debug-gosevguest", "FAIL",
         {"policy.allow_debug", milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)",
          milan + "microcode (CURRENT_TCB)", milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"milan-virtee", "FAIL",
         {milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)", milan + "microcode (CURRENT_TCB)",
          milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"milan-automata", "FAIL",
         {milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)", milan + "microcode (CURRENT_TCB)",
          milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"milan-v3-dstack", "FAIL",
         {milan + "snp (REPORTED_TCB)", milan + "microcode (CURRENT_TCB)", milan + "microcode (REPORTED_TCB)",
          milan + "microcode (COMMITTED_TCB)"}},
        {"milan-trustee", "FAIL",
         {milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)", milan + "microcode (CURRENT_TCB)",
          milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"milan-vlek-aws", "FAIL", {"policy.vmpl", milan + "microcode (REPORTED_TCB)"}},
        {"milan-vlek-aws2", "FAIL",
         {"policy.vmpl", milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)",
          milan + "microcode (CURRENT_TCB)", milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"milan-azure", "FAIL",
         {milan + "snp (CURRENT_TCB)", milan + "snp (REPORTED_TCB)", milan + "snp (COMMITTED_TCB)", milan + "microcode (CURRENT_TCB)",
          milan + "microcode (REPORTED_TCB)", milan + "microcode (COMMITTED_TCB)"}},
        {"genoa-azure", "PASS", {}},
        {"turin-v5", "PASS", {}},
    };
    return rows;
}

// The README's table rows: "| `case` | product | **PASS**/**FAIL** | why |".
std::map<std::string, std::string> readme_verdicts() {
    std::istringstream in(read_file(std::string(CVEX_SOURCE_DIR) + "/attest/README.md"));
    std::map<std::string, std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("| `", 0) != 0) continue;
        const auto name_end = line.find('`', 3);
        const std::string name = line.substr(3, name_end - 3);
        for (const char* v : {"**PASS**", "**FAIL**"})
            if (line.find(v) != std::string::npos) out[name] = std::string(v).substr(2, 4);
    }
    return out;
}

}  // namespace

TEST_CASE("the default policy against the 10 real reports: the README's table, check by check") {
    const auto readme = readme_verdicts();
    REQUIRE(expected_table().size() == sev_manifest()["cases"].size());
    for (const Row& row : expected_table()) {
        INFO(row.name);
        auto r = run_process([&] {
            auto a = attest_verify_args(sev_case(row.name));
            a.push_back("--json");
            return a;
        }());
        INFO(r.err);
        REQUIRE(r.exit_code == (std::string(row.verdict) == "PASS" ? 0 : 1));
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["verdict"] == row.verdict);
        CHECK(j["policy"]["name"] == "default");
        std::set<std::string> failing;
        for (const auto& c : j["checks"])
            if (!c["pass"].get<bool>()) failing.insert(c["name"].get<std::string>());
        CHECK(failing == row.failing);
        REQUIRE(readme.count(row.name) == 1);
        CHECK(readme.at(row.name) == row.verdict);
    }
}
