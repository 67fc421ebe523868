#include "cli/vrf_request_args.hpp"

#include <algorithm>
#include <iterator>

#include "chain/contract_errors/contract_errors.hpp"
#include "chain/encoding/known_errors.hpp"
#include "cli/amount.hpp"
#include "cli/chain_args.hpp"

namespace cvex::cli {

VrfRequestArgs parse_vrf_request_args(const Args& args, std::initializer_list<std::string_view> switches, const std::string& command,
                                      bool id_required) {
    VrfRequestArgs out;
    static constexpr std::string_view kValued[] = {"--rpc-url", "--coordinator", "--request-id", "--from-block", "--to-block", "--abi"};
    std::optional<std::string> id_text;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) == 0) {
            out.rest.push_back(a);
            const bool takes_value = std::find(std::begin(kValued), std::end(kValued), a) != std::end(kValued);
            if (takes_value && i + 1 < args.size()) out.rest.push_back(args[++i]);
            continue;
        }
        if (id_text) throw UsageError(command + ": unexpected argument '" + a + "'");
        id_text = a;  // the positional request id
    }
    check_flags(out.rest, {"--rpc-url", "--coordinator", "--request-id", "--from-block", "--to-block", "--abi"}, switches, command);
    if (const std::string* id = flag_value(out.rest, "--request-id")) {
        if (id_text) throw UsageError(command + ": the request id is given twice");
        id_text = *id;
    }
    if (id_text) out.request_id = parse_amount(*id_text, "request id");
    if (id_required && !out.request_id) throw UsageError(command + ": a request id is required");
    const std::string* coord = flag_value(out.rest, "--coordinator");
    if (!coord) throw UsageError("--coordinator is required");
    out.coordinator = parse_address_arg(*coord, "--coordinator");
    if (const std::string* abi = flag_value(out.rest, "--abi")) {
        auto errors = chain::errors_from_abi_file(*abi);
        if (!errors) throw UsageError("--abi: " + errors.error().message());
        chain::register_known_errors(*errors);
    }
    return out;
}

}  // namespace cvex::cli
