// An attestation report as `cvex attest verify` shows it: text lines for people, and typed JSON
// for machines (schema in README "cvex attest verify --json"): numbers as numbers, TCBs as
// objects of their components, GUEST_POLICY and PLATFORM_INFO as named bits, byte strings as
// lower-case hex without 0x, and 64-bit raw values as "0x…" strings (JSON numbers are exact only
// to 2^53).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "attest/report/snp_report.hpp"

namespace cvex::cli {

std::vector<std::pair<std::string, std::string>> report_text_fields(const attest::AttestationReport& r, attest::TcbLayout layout);
nlohmann::ordered_json report_json(const attest::AttestationReport& r, attest::TcbLayout layout);
nlohmann::ordered_json tcb_json(uint64_t raw, attest::TcbLayout layout);

}  // namespace cvex::cli
