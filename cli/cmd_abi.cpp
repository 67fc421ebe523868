// ABI from the command line, as cast: `cvex abi-encode <sig> <args…>`, `cvex calldata <sig>
// <args…>` and `cvex decode-abi [--input] <sig> <0xdata>`.
#include <ostream>

#include "chain/encoding/abi_codec.hpp"
#include "chain/encoding/abi_text.hpp"
#include "cli/command.hpp"

namespace cvex::cli {
namespace {

chain::AbiSignature signature_arg(const std::string& text, const char* command) {
    auto sig = chain::parse_abi_signature(text);
    if (!sig) throw UsageError(std::string(command) + ": signature: " + sig.error().message());
    return std::move(*sig);
}

std::vector<chain::AbiValue> values_arg(const chain::AbiSignature& sig, const Args& args, size_t first, const char* command) {
    const size_t given = args.size() - first;
    if (given != sig.inputs.size())
        throw UsageError(std::string(command) + ": " + sig.canonical() + " takes " + std::to_string(sig.inputs.size()) +
                         " arguments, got " + std::to_string(given));
    std::vector<chain::AbiValue> values;
    for (size_t i = 0; i < sig.inputs.size(); ++i) {
        auto v = chain::parse_abi_value(sig.inputs[i].type, args[first + i], "argument " + std::to_string(i + 1));
        if (!v) throw UsageError(std::string(command) + ": " + v.error().message());
        values.push_back(std::move(*v));
    }
    return values;
}

int run_abi_encode(const Args& args, std::ostream& out) {
    if (args.empty()) throw UsageError("usage: cvex abi-encode <sig> <args...>");
    const auto sig = signature_arg(args[0], "abi-encode");
    auto encoded = chain::abi_encode(sig.input_types(), values_arg(sig, args, 1, "abi-encode"));
    if (!encoded) throw UsageError("abi-encode: " + encoded.error().message());
    out << cvex::to_hex(*encoded) << "\n";
    return kOk;
}

int run_calldata(const Args& args, std::ostream& out) {
    if (args.empty()) throw UsageError("usage: cvex calldata <sig> <args...>");
    const auto sig = signature_arg(args[0], "calldata");
    auto encoded = chain::abi_encode_call(sig, values_arg(sig, args, 1, "calldata"));
    if (!encoded) throw UsageError("calldata: " + encoded.error().message());
    out << cvex::to_hex(*encoded) << "\n";
    return kOk;
}

int run_decode_abi(const Args& args, std::ostream& out) {
    const bool input = has_flag(args, "--input") || has_flag(args, "-i");
    Args rest;
    for (const auto& a : args)
        if (a != "--input" && a != "-i") rest.push_back(a);
    if (rest.size() != 2) throw UsageError("usage: cvex decode-abi [--input] <sig> <0xdata>");
    const auto sig = signature_arg(rest[0], "decode-abi");
    auto data = cvex::from_hex(rest[1]);
    if (!data) throw UsageError("decode-abi: '" + rest[1] + "' is not valid hex");
    const bool use_inputs = input || sig.outputs.empty();
    const auto types = use_inputs ? sig.input_types() : sig.output_types();
    cvex::ByteView body = *data;
    if (use_inputs && body.size() % 32 == 4) body = body.subspan(4);  // calldata with its selector
    auto values = chain::abi_decode(types, body);
    if (!values) throw UsageError("decode-abi: " + values.error().message());
    for (size_t i = 0; i < types.size(); ++i) out << chain::format_abi_value(types[i], (*values)[i]) << "\n";
    return kOk;
}

const CommandRegistrar abi_encode{{"abi-encode", "<sig> <args...>", "ABI-encode arguments for a signature (as cast abi-encode)", run_abi_encode}};
const CommandRegistrar calldata{{"calldata", "<sig> <args...>", "Selector and ABI-encoded arguments (as cast calldata)", run_calldata}};
const CommandRegistrar decode_abi{{"decode-abi", "[--input] <sig> <0xdata>", "Decode ABI data with sig's output (or input) types (as cast decode-abi)", run_decode_abi}};

}  // namespace
}  // namespace cvex::cli
