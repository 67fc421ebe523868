#include "attest/measure/vcpu_signature.hpp"

#include <array>

namespace cvex::attest::measure {
namespace {

struct CpuType {
    std::string_view name;
    unsigned family, model, stepping;
};

// QEMU target/i386/cpu.c builtin_x86_defs: a model's versions keep its family/model/stepping.
constexpr std::array<CpuType, 17> kCpuTypes = {{
    {"EPYC", 23, 1, 2},        {"EPYC-v1", 23, 1, 2},       {"EPYC-v2", 23, 1, 2},       {"EPYC-IBPB", 23, 1, 2},
    {"EPYC-v3", 23, 1, 2},     {"EPYC-v4", 23, 1, 2},       {"EPYC-Rome", 23, 49, 0},    {"EPYC-Rome-v1", 23, 49, 0},
    {"EPYC-Rome-v2", 23, 49, 0}, {"EPYC-Rome-v3", 23, 49, 0}, {"EPYC-Milan", 25, 1, 1},  {"EPYC-Milan-v1", 25, 1, 1},
    {"EPYC-Milan-v2", 25, 1, 1}, {"EPYC-Genoa", 25, 17, 0},  {"EPYC-Genoa-v1", 25, 17, 0}, {"EPYC-Turin", 26, 0, 0},
    {"EPYC-Turin-v1", 26, 0, 0},
}};

}  // namespace

std::optional<uint32_t> cpu_signature(unsigned family, unsigned model, unsigned stepping) {
    if (family > 0xf + 0xff || model > 0xff || stepping > 0xf) return std::nullopt;
    // Families above 0xF are written as 0xF plus an extended family; the model's high nibble
    // goes to the extended model field.
    const unsigned family_low = family > 0xf ? 0xf : family;
    const unsigned family_high = family > 0xf ? family - 0xf : 0;
    return static_cast<uint32_t>(family_high << 20 | (model >> 4) << 16 | family_low << 8 | (model & 0xf) << 4 | stepping);
}

std::optional<uint32_t> cpu_signature_by_name(std::string_view name) {
    for (const auto& t : kCpuTypes)
        if (t.name == name) return cpu_signature(t.family, t.model, t.stepping);
    return std::nullopt;
}

std::string cpu_type_names() {
    std::string out;
    for (const auto& t : kCpuTypes) out += (out.empty() ? "" : ", ") + std::string(t.name);
    return out;
}

}  // namespace cvex::attest::measure
