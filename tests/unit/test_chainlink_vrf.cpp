// Chainlink's VRF scheme in the test support (support/chainlink_vrf.hpp), checked against
// Chainlink's own vectors: the two proofs of @chainlink/contracts 1.2.0's
// src/v0.8/vrf/test/VRFV2Plus.t.sol (setupSubAndRequestRandomness{Native,LINK}Payment, made by
// their Go node's generate-proof-v2-plus for the key of secret 10). Their nonce was random, so
// a proof of ours differs from theirs in c, s and the witnesses, but gamma and the randomness are
// the VRF's output and must be identical (uniqueness), and both proofs must verify.
#include <catch2/catch.hpp>

#include "chain/encoding/abi_codec.hpp"
#include "support/chainlink_vrf.hpp"

using cvex::chain::Address;
using cvex::chain::Hash32;
using cvex::chain::U256;
using namespace cvex::test;

namespace {

U256 dec(const char* text) { return *U256::parse_dec(text); }

ChainlinkPoint key_of_secret_10() {
    return {dec("72488970228380509287422715226575535698893157273063074627791787432852706183111"),
            dec("62070622898698443831883535403436258712770888294397026493185421712108624767191")};
}

struct Fixture {
    const char* name;
    ChainlinkProof proof;
    Hash32 block_hash;
};

// VRFV2Plus.t.sol, setupSubAndRequestRandomnessNativePayment: request block 10, block hash 0x…0a.
Fixture native_fixture() {
    ChainlinkProof p{
        .pk = key_of_secret_10(),
        .gamma = {dec("47144451677122876068574640250190132179872561942855874114516471019540736524783"),
                  dec("63001220656590641645486673489302242739512599229187442248048295264418080499391")},
        .c = dec("42928477813589729783511577059394077774341588261592343937605454161333818133643"),
        .s = dec("14447529458406454898597883219032514356523135029224613793880920230249515634875"),
        .seed = dec("83266692323404068105564931899467966321583332182309426611016082057597749986430"),
        .u_witness = *Address::parse("0x5Ed3bb2AA8EAFe168a23079644d5dfBf892B1038"),
        .c_gamma_witness = {dec("40742088032247467257043132769297935807697466810312051815364187117543257089153"),
                            dec("110399474382135664619186049639190334359061769014381608543009407662815758204131")},
        .s_hash_witness = {dec("26556776392895292893984393164594214244553035014769995354896600239759043777485"),
                           dec("67126706735912782218279556535631175449291035782208850310724682668198932501077")},
        .z_inv = dec("88742453392918610091640193378775723954629905126315835248392650970979000380325"),
    };
    return {"native payment", p, *Hash32::from_hex("0x000000000000000000000000000000000000000000000000000000000000000a")};
}

// VRFV2Plus.t.sol, setupSubAndRequestRandomnessLINKPayment: request block 20, block hash 0x…14.
Fixture link_fixture() {
    ChainlinkProof p{
        .pk = key_of_secret_10(),
        .gamma = {dec("38041205470219573731614166317842050442610096576830191475863676359766283013831"),
                  dec("31897503406364148988967447112698248795931483458172800286988696482435433838056")},
        .c = dec("114706080610174375269579192101772790158458728655229562781479812703475130740224"),
        .s = dec("91869928024010088265014058436030407245056128545665425448353233998362687232253"),
        .seed = dec("58424872742560034068603954318478134981993109073728628043159461959392650534066"),
        .u_witness = *Address::parse("0x1514536B09a51E671d070312bcD3653386d5a82b"),
        .c_gamma_witness = {dec("90605489216274499662544489893800286859751132311034850249229378789467669572783"),
                            dec("76568417372883461229305641415175605031997103681542349721251313705711146936024")},
        .s_hash_witness = {dec("43417948503950579681520475434461454031791886587406480417092620950034789197994"),
                           dec("100772571879140362396088596211082924128900752544164141322636815729889228000249")},
        .z_inv = dec("82374292458278672300647114418593830323283909625362447038989596015264004164958"),
    };
    return {"LINK payment", p, *Hash32::from_hex("0x0000000000000000000000000000000000000000000000000000000000000014")};
}

}  // namespace

TEST_CASE("Chainlink VRF: secret 10's key and key hash are VRFV2Plus.t.sol's") {
    REQUIRE(chainlink_public_key(10) == key_of_secret_10());
    CHECK(chainlink_key_hash(key_of_secret_10()) ==
          *Hash32::from_hex("0x9f2353bde94264dbc3d554a94cceba2d7d2b4fdce4304d3e09a1fea9fbeb1528"));
    CHECK_FALSE(chainlink_public_key(0));
    CHECK_FALSE(chainlink_public_key(U256::max()));
}

TEST_CASE("Chainlink VRF: Chainlink's own proofs verify") {
    for (const auto& f : {native_fixture(), link_fixture()}) {
        INFO(f.name);
        CHECK(chainlink_verify(f.proof, chainlink_actual_seed(f.proof.seed, f.block_hash)));
    }
}

TEST_CASE("Chainlink VRF: our proofs verify and have the same output as Chainlink's") {
    for (const auto& f : {native_fixture(), link_fixture()}) {
        INFO(f.name);
        const auto ours = chainlink_prove(10, f.proof.seed, f.block_hash);
        REQUIRE(ours);
        CHECK(ours->pk == f.proof.pk);
        CHECK(ours->seed == f.proof.seed);
        CHECK(ours->gamma == f.proof.gamma);
        CHECK(chainlink_randomness(*ours) == chainlink_randomness(f.proof));
        CHECK(chainlink_verify(*ours, chainlink_actual_seed(f.proof.seed, f.block_hash)));
    }
}

TEST_CASE("Chainlink VRF: a proof for another block hash or with any field changed fails") {
    const Fixture f = native_fixture();
    const U256 seed = chainlink_actual_seed(f.proof.seed, f.block_hash);
    CHECK_FALSE(chainlink_verify(f.proof, chainlink_actual_seed(f.proof.seed, link_fixture().block_hash)));
    const auto changed = [&](auto&& edit) {
        ChainlinkProof p = f.proof;
        edit(p);
        return chainlink_verify(p, seed);
    };
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.c = p.c.wrapping_add(1); }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.s = p.s.wrapping_add(1); }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.gamma = link_fixture().proof.gamma; }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.u_witness.bytes[19] ^= 1; }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.c_gamma_witness = link_fixture().proof.c_gamma_witness; }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.s_hash_witness = link_fixture().proof.s_hash_witness; }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.z_inv = p.z_inv.wrapping_add(1); }));
    CHECK_FALSE(changed([](ChainlinkProof& p) { p.pk[1] = p.pk[1].wrapping_add(1); }));  // off the curve
}

TEST_CASE("Chainlink VRF: a proof ABI-encodes as VRF.Proof, 13 static words") {
    const auto encoded =
        cvex::chain::abi_encode({chainlink_proof_abi_type()}, {to_abi_value(native_fixture().proof)});
    REQUIRE(encoded);
    REQUIRE(encoded->size() == 13 * 32);
    CHECK(U256::from_be(cvex::ByteView(*encoded).subspan(4 * 32, 32)) == native_fixture().proof.c);
    CHECK(U256::from_be(cvex::ByteView(*encoded).subspan(12 * 32, 32)) == native_fixture().proof.z_inv);
}
