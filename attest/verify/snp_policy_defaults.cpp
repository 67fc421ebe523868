// The default policy and the permissive profile (issue 15 §4).
#include "attest/verify/snp_policy.hpp"

namespace cvex::attest {

const std::vector<TcbFloor>& amd_bulletin_tcb_floors() {
    // AMD-SB-3019 (CVE-2024-56161, "EntrySign", published 2025-02-03): improper signature
    // verification in the AMD CPU ROM microcode patch loader lets a host administrator load
    // malicious microcode into an SEV-SNP guest's CPU, which voids every SNP guarantee including
    // this report. AMD's mitigation raises the SNP firmware SPL and the microcode SPL that a
    // guest can check in its attestation report:
    //   Milan: SNP SPL 0x18 (24), microcode 0x0A0011DB → SPL 0xDB (219);
    //   Genoa: SNP SPL 0x17 (23), microcode 0x0A101154 → SPL 0x54 (84).
    // Turin: AMD-SB-3019 lists no Turin SPLs. The first bulletin whose Turin value is
    // published where it can be checked is AMD-SB-3023 (CVE-2025-48514): its SNP firmware fix
    // raises the Turin SNP SPL to 0x04 (Milan and Genoa: 0x1B), the thresholds Linux encodes in
    // drivers/crypto/ccp/sev-dev.c, sev_firmware_allows_es() ("Documented in AMD-SB-3023").
    // Turin's floor is that SNP SPL; no Turin microcode or FMC floor is published, so none is
    // invented here: an operator adds one with "min_tcb_per_product": {"Turin": {…}}.
    // Later bulletins (AMD-SB-3020: SNP SPL 0x1B on Genoa; AMD-SB-3027: microcode) raise these;
    // a policy file can require them. The values are compared with CURRENT, REPORTED and
    // COMMITTED TCB; REPORTED_TCB is the one the VCEK certifies.
    static const std::vector<TcbFloor> floors = {
        {SnpProduct::kMilan, MinTcb{std::nullopt, std::nullopt, std::nullopt, uint8_t{0x18}, uint8_t{0xDB}},
         "AMD-SB-3019 (CVE-2024-56161): SNP SPL 0x18, microcode 0x0A0011DB"},
        {SnpProduct::kGenoa, MinTcb{std::nullopt, std::nullopt, std::nullopt, uint8_t{0x17}, uint8_t{0x54}},
         "AMD-SB-3019 (CVE-2024-56161): SNP SPL 0x17, microcode 0x0A101154"},
        {SnpProduct::kTurin, MinTcb{std::nullopt, std::nullopt, std::nullopt, uint8_t{0x04}, std::nullopt},
         "AMD-SB-3023 (CVE-2025-48514): SNP SPL 0x04"},
    };
    return floors;
}

std::map<SnpProduct, MinTcb> amd_bulletin_floor_map() {
    std::map<SnpProduct, MinTcb> m;
    for (const TcbFloor& f : amd_bulletin_tcb_floors())
        if (!f.min.empty()) m[f.product] = f.min;
    return m;
}

SnpPolicy default_snp_policy() {
    // SnpPolicy's initialisers are the default: VMPL 0 (the guest asks for VMPL 0; a report at
    // another level came from something else), no debug, no migration agent, the floors above.
    SnpPolicy p;
    p.name = "default";
    return p;
}

SnpPolicy permissive_snp_policy() {
    SnpPolicy p;
    p.name = "permissive";
    p.permissive = true;
    p.vmpl.reset();
    p.allow_debug = true;
    p.allow_migration_agent = true;
    p.min_tcb_per_product.clear();
    return p;
}

}  // namespace cvex::attest
