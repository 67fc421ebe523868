#include "cli/deploy/dex_deployer.hpp"

#include "cli/deploy/deploy_steps.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "chain/rpc/contract.hpp"
#include "chain/rpc/contract_artifact.hpp"
#include "chain/crypto/keccak.hpp"
#include "chain/types/u512.hpp"

namespace cvex::cli {

using chain::AbiValue;
using chain::Address;
using cvex::Bytes;
using chain::Contract;
using chain::ContractArtifact;
using cvex::Expected;
using chain::Hash32;
using chain::U256;
using chain::U512;
using cvex::Unexpected;

namespace {

// The init code hashes the periphery contracts derive pool addresses from (CREATE2, EIP-1014):
// UniswapV2Library.pairFor (v2-periphery/contracts/libraries/UniswapV2Library.sol) and
// PoolAddress.POOL_INIT_CODE_HASH (v3-periphery/contracts/libraries/PoolAddress.sol). They are
// constants compiled into the routers, so a factory whose pair or pool creation code hashes to
// anything else would leave every router call aimed at an empty address: deploy_dex checks it.
constexpr std::string_view kV2PairInitCodeHash = "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";
constexpr std::string_view kV3PoolInitCodeHash = "0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54";

constexpr uint32_t kV3Fee = 3000;
constexpr int32_t kV3TickSpacing = 60;  // UniswapV3Factory's constructor: feeAmountTickSpacing[3000] = 60
constexpr int32_t kMinTick = -887272;   // TickMath.MIN_TICK (v3-core/contracts/libraries/TickMath.sol)
constexpr int32_t kMaxTick = 887272;    // TickMath.MAX_TICK
// Ticks of a position must be multiples of the spacing: the full range is the widest such pair.
constexpr int32_t kFullRangeLower = (kMinTick / kV3TickSpacing) * kV3TickSpacing;  // -887220
constexpr int32_t kFullRangeUpper = (kMaxTick / kV3TickSpacing) * kV3TickSpacing;  // 887220
constexpr uint64_t kDeadlineSeconds = 3600;

// NonfungibleTokenPositionDescriptor links the NFTDescriptor library, which only tokenURI uses
// (it renders a position's SVG). cvex never reads tokenURI, so the library placeholder is filled
// with an address that holds no code: Solidity checks extcodesize before a library call, so
// tokenURI reverts cleanly while minting, swapping and everything else work. (The library itself
// is in the npm package, but deploying ~24 KB that nothing calls would only slow the devnet.)
const Address kNftDescriptorStub{};

// --- small helpers -------------------------------------------------------------------------------

Hash32 hash_constant(std::string_view hex) { return *Hash32::from_hex(hex); }

Bytes word_of(const Address& a) {
    Bytes w(12, 0);
    w.insert(w.end(), a.bytes.begin(), a.bytes.end());
    return w;
}

// EIP-1014: keccak256(0xff ++ deployer ++ salt ++ keccak256(init_code))[12:].
Address create2_address(const Address& deployer, const Hash32& salt, const Hash32& init_code_hash) {
    Bytes buf{0xff};
    buf.insert(buf.end(), deployer.bytes.begin(), deployer.bytes.end());
    buf.insert(buf.end(), salt.bytes.begin(), salt.bytes.end());
    buf.insert(buf.end(), init_code_hash.bytes.begin(), init_code_hash.bytes.end());
    const Hash32 h = chain::keccak256(buf);
    Address out;
    std::copy(h.bytes.begin() + 12, h.bytes.end(), out.bytes.begin());
    return out;
}

bool contains(const Bytes& code, const Hash32& needle) {
    return std::search(code.begin(), code.end(), needle.bytes.begin(), needle.bytes.end()) != code.end();
}

struct Artifacts {
    ContractArtifact weth, v2_factory, v2_pair, v2_router, v3_factory, v3_pool, swap_router, descriptor, position_manager, quoter, token;
};

Expected<Artifacts, DeployError> load_artifacts(const std::string& root) {
    Artifacts a;
    const std::string nm = root + "/node_modules/";
    const std::string v3p = nm + "@uniswap/v3-periphery/artifacts/contracts/";
    const std::pair<std::string, ContractArtifact*> files[] = {
        {nm + "canonical-weth/build/contracts/WETH9.json", &a.weth},
        {nm + "@uniswap/v2-core/build/UniswapV2Factory.json", &a.v2_factory},
        {nm + "@uniswap/v2-core/build/UniswapV2Pair.json", &a.v2_pair},
        {nm + "@uniswap/v2-periphery/build/UniswapV2Router02.json", &a.v2_router},
        {nm + "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json", &a.v3_factory},
        {nm + "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json", &a.v3_pool},
        {v3p + "SwapRouter.sol/SwapRouter.json", &a.swap_router},
        {v3p + "NonfungibleTokenPositionDescriptor.sol/NonfungibleTokenPositionDescriptor.json", &a.descriptor},
        {v3p + "NonfungiblePositionManager.sol/NonfungiblePositionManager.json", &a.position_manager},
        {v3p + "lens/QuoterV2.sol/QuoterV2.json", &a.quoter},
        {root + "/contracts/out/TestToken.sol/TestToken.json", &a.token},
    };
    for (const auto& [path, out] : files) {
        auto loaded = ContractArtifact::load(path);
        if (!loaded) return deploy_failure(loaded.error().message() + " (run scripts/setup.sh and forge build, or pass the checkout as --root)");
        if (loaded->bytecode.empty()) return deploy_failure(path + ": no bytecode");
        *out = std::move(*loaded);
    }
    if (auto linked = a.descriptor.link("NFTDescriptor", kNftDescriptorStub); !linked) return deploy_failure(linked.error().message());
    if (!a.descriptor.unlinked.empty()) return deploy_failure(a.descriptor.name + ": needs library " + a.descriptor.unlinked.front().library);

    // The npm pair/pool creation code must be what the routers were compiled against (the
    // CREATE2 addresses are checked again on chain once the pair and pool exist).
    if (chain::keccak256(a.v2_pair.bytecode) != hash_constant(kV2PairInitCodeHash))
        return deploy_failure("UniswapV2Pair.json: its creation code does not hash to UniswapV2Library's init code hash " + std::string(kV2PairInitCodeHash));
    if (!contains(a.v2_router.bytecode, hash_constant(kV2PairInitCodeHash)))
        return deploy_failure("UniswapV2Router02.json: does not carry the pair init code hash " + std::string(kV2PairInitCodeHash));
    if (chain::keccak256(a.v3_pool.bytecode) != hash_constant(kV3PoolInitCodeHash))
        return deploy_failure("UniswapV3Pool.json: its creation code does not hash to PoolAddress.POOL_INIT_CODE_HASH " + std::string(kV3PoolInitCodeHash));
    for (const auto* periphery : {&a.swap_router, &a.position_manager, &a.quoter})
        if (!contains(periphery->bytecode, hash_constant(kV3PoolInitCodeHash)))
            return deploy_failure(periphery->name + ".json: does not carry the pool init code hash " + std::string(kV3PoolInitCodeHash));
    return a;
}

// Deployment steps share the client and the sender; each failure names the step.
using Deployer = DeploySteps;

Expected<void, DeployError> check_options(const DexOptions& o) {
    const U256 v2_limit = U256(1) << 112;  // UniswapV2Pair keeps reserves as uint112
    if (o.v2_amount_a.is_zero() || o.v2_amount_b.is_zero()) return deploy_failure("V2 liquidity amounts must be positive");
    if (o.v2_amount_a >= v2_limit || o.v2_amount_b >= v2_limit) return deploy_failure("V2 liquidity amounts must be below 2^112");
    if (o.v3_amount_a.is_zero() || o.v3_amount_b.is_zero()) return deploy_failure("V3 liquidity amounts must be positive");
    if (!o.v2_amount_a.checked_add(o.v3_amount_a) || !o.v2_amount_b.checked_add(o.v3_amount_b))
        return deploy_failure("V2 + V3 liquidity amounts overflow uint256");
    if (o.token_a.symbol.empty() || o.token_b.symbol.empty()) return deploy_failure("token symbols must not be empty");
    return {};
}

// What each token must be minted to, by account, summed (the deployer may be in `funded` too).
std::vector<std::pair<Address, U256>> mint_plan(const Address& deployer, const U256& liquidity, const DexOptions& o, const U256& fund,
                                                std::string& overflow) {
    std::vector<std::pair<Address, U256>> plan{{deployer, liquidity}};
    for (const auto& account : o.funded) {
        auto it = std::find_if(plan.begin(), plan.end(), [&](const auto& p) { return p.first == account; });
        if (it == plan.end()) {
            plan.emplace_back(account, fund);
        } else if (auto sum = it->second.checked_add(fund)) {
            it->second = *sum;
        } else {
            overflow = "funding " + account.checksum_hex() + " overflows uint256";
        }
    }
    return plan;
}

Expected<U256, DeployError> plan_total(const std::vector<std::pair<Address, U256>>& plan) {
    U256 total;
    for (const auto& [account, amount] : plan) {
        auto sum = total.checked_add(amount);
        if (!sum) return deploy_failure("dex options: the token A amounts overflow uint256");
        total = *sum;
    }
    return total;
}

}  // namespace

Expected<U256, DeployError> v3_sqrt_price_x96(const U256& amount0, const U256& amount1) {
    const U256 limit = U256(1) << 112;
    if (amount0.is_zero() || amount1.is_zero()) return deploy_failure("price: both amounts must be positive");
    if (amount0 >= limit || amount1 >= limit) return deploy_failure("price: amounts must be below 2^112");
    // The largest s with s² · amount0 ≤ amount1 · 2^192, i.e. (integers, amount0 > 0) with
    // s² ≤ floor(amount1 · 2^192 / amount0), bit by bit from the top (s < 2^160, s² < 2^320).
    const U512 scaled{amount1 >> 64, amount1 << 192};  // amount1 · 2^192 < 2^304
    const U512 bound = divmod(scaled, amount0)->first;  // amount0 > 0 was checked above
    U256 s;
    for (unsigned bit = 160; bit-- > 0;) {
        const U256 candidate = s | (U256(1) << bit);
        if (mul_wide(candidate, candidate) <= bound) s = candidate;
    }
    // TickMath: MIN_SQRT_RATIO ≤ sqrtPriceX96 < MAX_SQRT_RATIO (UniswapV3Pool.initialize).
    const U256 min_ratio(4295128739ULL);
    const U256 max_ratio = *U256::parse_dec("1461446703485210103287273052203988822378723970342");
    if (s < min_ratio || s >= max_ratio) return deploy_failure("price: sqrtPriceX96 " + s.dec() + " is outside Uniswap V3's range");
    return s;
}

Expected<void, DeployError> validate_dex_options(const DexOptions& options) {
    if (auto bad = check_options(options); !bad) return deploy_failure("dex options: " + bad.error().message());
    if (auto artifacts = load_artifacts(options.root); !artifacts) return Unexpected{artifacts.error()};
    return {};
}

Expected<DexDeployment, DeployError> deploy_dex(std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender,
                                                const DexOptions& options) {
    if (auto bad = check_options(options); !bad) return deploy_failure("dex options: " + bad.error().message());
    auto artifacts = load_artifacts(options.root);
    if (!artifacts) return Unexpected{artifacts.error()};
    const Artifacts& art = *artifacts;
    const Deployer d(client, sender);

    DexDeployment out;
    out.deployer = sender->address();
    out.chain_id = sender->chain_id();
    out.v3_fee = kV3Fee;
    out.v3_tick_lower = kFullRangeLower;
    out.v3_tick_upper = kFullRangeUpper;

    auto head = client->block_by_number(chain::BlockTag::latest());
    if (!head) return deploy_failure("latest block: " + head.error().message());
    if (!*head) return deploy_failure("latest block: the node has none");
    out.deploy_block = (*head)->number + 1;
    const U256 deadline((*head)->timestamp + kDeadlineSeconds);

    // What each account gets of each token; with weth_as_a the deployer must hold the ETH it
    // wraps (checked before the first transaction, so a short balance deploys nothing).
    std::string overflow;
    const U256 fund_a = options.fund_amount_a.value_or(options.weth_as_a ? kWethFundAmount : options.fund_amount);
    auto plan_a = mint_plan(out.deployer, *options.v2_amount_a.checked_add(options.v3_amount_a), options, fund_a, overflow);
    auto plan_b = mint_plan(out.deployer, *options.v2_amount_b.checked_add(options.v3_amount_b), options, options.fund_amount, overflow);
    const bool deployer_listed = std::find(options.funded.begin(), options.funded.end(), out.deployer) != options.funded.end();
    if (options.fund_deployer && !deployer_listed) {
        // plan[0] is the deployer's liquidity; its own funding is minted with it.
        auto fund = [&](auto& plan, const U256& amount) {
            if (auto sum = plan[0].second.checked_add(amount)) plan[0].second = *sum;
            else overflow = "funding the deployer overflows uint256";
        };
        if (!options.weth_as_a) fund(plan_a, fund_a);
        fund(plan_b, options.fund_amount);
    }
    if (!overflow.empty()) return deploy_failure("dex options: " + overflow);
    U256 wrap_total;
    if (options.weth_as_a) {
        auto total = plan_total(plan_a);
        if (!total) return Unexpected{total.error()};
        wrap_total = *total;
        auto balance = client->balance(out.deployer);
        if (!balance) return deploy_failure("eth_getBalance: " + balance.error().message());
        if (*balance <= wrap_total)
            return deploy_failure("weth as token A: wrapping " + wrap_total.dec() + " wei needs more than the deployer's balance of " +
                                  balance->dec() + " wei (lower --amount-a, --v3-amount-a or --fund-amount-a)");
    }

    // Our tokens first: their order (token0 < token1 by address) fixes how prices are stated.
    std::optional<Contract> token_a;
    if (!options.weth_as_a) {
        auto deployed = d.deploy(art.token, {options.token_a.name, options.token_a.symbol, U256(options.token_a.decimals), out.deployer});
        if (!deployed) return deploy_failure("token A: " + deployed.error().message());
        token_a = std::move(*deployed);
    }
    auto token_b = d.deploy(art.token, {options.token_b.name, options.token_b.symbol, U256(options.token_b.decimals), out.deployer});
    if (!token_b) return deploy_failure("token B: " + token_b.error().message());
    out.token_b = token_b->address();

    auto weth = d.deploy(art.weth, {});
    if (!weth) return Unexpected{weth.error()};
    out.weth = weth->address();
    if (!token_a) token_a = *weth;
    out.token_a = token_a->address();
    auto v2_factory = d.deploy(art.v2_factory, {out.deployer});  // feeToSetter
    if (!v2_factory) return Unexpected{v2_factory.error()};
    out.v2_factory = v2_factory->address();
    auto v2_router = d.deploy(art.v2_router, {out.v2_factory, out.weth});
    if (!v2_router) return Unexpected{v2_router.error()};
    out.v2_router = v2_router->address();
    auto v3_factory = d.deploy(art.v3_factory, {});
    if (!v3_factory) return Unexpected{v3_factory.error()};
    out.v3_factory = v3_factory->address();
    auto swap_router = d.deploy(art.swap_router, {out.v3_factory, out.weth});
    if (!swap_router) return Unexpected{swap_router.error()};
    out.v3_swap_router = swap_router->address();
    Bytes eth_label(32, 0);  // bytes32 nativeCurrencyLabelBytes: "ETH", left-aligned
    std::copy_n("ETH", 3, eth_label.begin());
    auto descriptor = d.deploy(art.descriptor, {out.weth, eth_label});
    if (!descriptor) return Unexpected{descriptor.error()};
    out.v3_descriptor = descriptor->address();
    auto manager = d.deploy(art.position_manager, {out.v3_factory, out.weth, out.v3_descriptor});
    if (!manager) return Unexpected{manager.error()};
    out.v3_position_manager = manager->address();
    auto quoter = d.deploy(art.quoter, {out.v3_factory, out.weth});
    if (!quoter) return Unexpected{quoter.error()};
    out.v3_quoter = quoter->address();

    // Tokens for the liquidity and the funded accounts: TestTokens are minted; WETH is wrapped by
    // the deployer in one deposit (WETH9 credits msg.sender only) and transferred on.
    if (options.weth_as_a) {
        if (auto r = d.transact(*weth, "deposit", {}, wrap_total); !r) return Unexpected{r.error()};
        for (const auto& [account, amount] : plan_a)
            if (account != out.deployer)
                if (auto r = d.transact(*weth, "transfer", {account, amount}); !r) return Unexpected{r.error()};
    }
    for (const auto& [token, plan] : {std::pair{&*token_a, &plan_a}, std::pair{&*token_b, &plan_b}}) {
        const bool wrapped = options.weth_as_a && token == &*token_a;
        for (const auto& [account, amount] : *plan) {
            if (wrapped) break;
            if (auto r = d.transact(*token, "mint", {account, amount}); !r) return Unexpected{r.error()};
        }
        for (const Address& spender : {out.v2_router, out.v3_position_manager})
            if (auto r = d.transact(*token, "approve", {spender, U256::max()}); !r) return Unexpected{r.error()};
    }

    // V2: addLiquidity creates the pair through the factory and sets its price.
    if (auto r = d.transact(*v2_router, "addLiquidity",
                            {out.token_a, out.token_b, options.v2_amount_a, options.v2_amount_b, options.v2_amount_a, options.v2_amount_b,
                             out.deployer, deadline});
        !r)
        return Unexpected{r.error()};
    auto pair = d.call(*v2_factory, "getPair", {out.token_a, out.token_b});
    if (!pair) return Unexpected{pair.error()};
    out.v2_pair = (*pair)[0].address();
    const bool a_is_token0 = out.token_a < out.token_b;
    const Address token0 = a_is_token0 ? out.token_a : out.token_b;
    const Address token1 = a_is_token0 ? out.token_b : out.token_a;
    {
        Bytes packed(token0.bytes.begin(), token0.bytes.end());  // abi.encodePacked(token0, token1)
        packed.insert(packed.end(), token1.bytes.begin(), token1.bytes.end());
        const Address expected = create2_address(out.v2_factory, chain::keccak256(packed), hash_constant(kV2PairInitCodeHash));
        if (out.v2_pair != expected)
            return deploy_failure("V2 pair at " + out.v2_pair.checksum_hex() + " but UniswapV2Library.pairFor computes " + expected.checksum_hex());
    }

    // V3: the pool at the same price, then one full-range position.
    const U256& amount0 = a_is_token0 ? options.v2_amount_a : options.v2_amount_b;
    const U256& amount1 = a_is_token0 ? options.v2_amount_b : options.v2_amount_a;
    auto sqrt_price = v3_sqrt_price_x96(amount0, amount1);
    if (!sqrt_price) return Unexpected{sqrt_price.error()};
    out.v3_sqrt_price_x96 = *sqrt_price;
    if (auto r = d.transact(*manager, "createAndInitializePoolIfNecessary", {token0, token1, U256(kV3Fee), *sqrt_price}); !r)
        return Unexpected{r.error()};
    auto pool = d.call(*v3_factory, "getPool", {token0, token1, U256(kV3Fee)});
    if (!pool) return Unexpected{pool.error()};
    out.v3_pool = (*pool)[0].address();
    {
        Bytes encoded = word_of(token0);  // abi.encode(token0, token1, fee)
        const Bytes w1 = word_of(token1);
        const auto fee = U256(kV3Fee).to_be();
        encoded.insert(encoded.end(), w1.begin(), w1.end());
        encoded.insert(encoded.end(), fee.begin(), fee.end());
        const Address expected = create2_address(out.v3_factory, chain::keccak256(encoded), hash_constant(kV3PoolInitCodeHash));
        if (out.v3_pool != expected)
            return deploy_failure("V3 pool at " + out.v3_pool.checksum_hex() + " but PoolAddress.computeAddress gives " + expected.checksum_hex());
    }
    const U256& desired0 = a_is_token0 ? options.v3_amount_a : options.v3_amount_b;
    const U256& desired1 = a_is_token0 ? options.v3_amount_b : options.v3_amount_a;
    const AbiValue mint_params = AbiValue::List{token0,
                                                token1,
                                                U256(kV3Fee),
                                                AbiValue::from_int(kFullRangeLower),
                                                AbiValue::from_int(kFullRangeUpper),
                                                desired0,
                                                desired1,
                                                U256(0),
                                                U256(0),
                                                out.deployer,
                                                deadline};
    auto minted = d.transact(*manager, "mint", {mint_params});
    if (!minted) return Unexpected{minted.error()};
    const auto increased = manager->events_in(*minted, "IncreaseLiquidity");
    const AbiValue* token_id = increased.empty() ? nullptr : chain::param(increased.front(), "tokenId");
    if (!token_id) return deploy_failure("NonfungiblePositionManager.mint: no IncreaseLiquidity event in the receipt");
    out.v3_position_id = token_id->word();
    return out;
}

}  // namespace cvex::cli
