// The oracle's request book: the rules by which requests become ready, move and vanish.
#include <catch2/catch.hpp>

#include "oracle/request_book.hpp"

using namespace cvex::oracle;
using cvex::chain::U256;

namespace {

VrfRequest request(uint64_t id, uint64_t block, uint16_t confirmations, uint8_t hash_tag = 1) {
    VrfRequest r;
    r.request_id = U256(id);
    r.block_number = block;
    r.min_confirmations = confirmations;
    r.block_hash.bytes[0] = hash_tag;
    r.block_hash.bytes[1] = static_cast<uint8_t>(block);
    return r;
}

}  // namespace

TEST_CASE("a request becomes ready when the head reaches blockNumber + minConfirmations") {
    RequestBook book;
    book.add(request(1, 10, 3));
    CHECK(book.ready(12, 10).empty());
    REQUIRE(book.ready(13, 10).size() == 1);
}

TEST_CASE("the operator's confirmations are a floor over each request's own minConfirmations") {
    RequestBook book(5);
    book.add(request(1, 10, 1));  // asks for 1: waits for the operator's 5
    book.add(request(2, 10, 8));  // asks for more: its own number holds
    CHECK(book.ready(14, 10).empty());
    REQUIRE(book.ready(15, 10).size() == 1);
    CHECK(book.ready(15, 10)[0].request_id == U256(1));
    CHECK(book.ready(18, 10).size() == 2);
    CHECK(book.ready_at(request(3, 10, 0)) == 15);
}

TEST_CASE("seeing the same request again is a no-op; from another block it replaces the old one") {
    RequestBook book;
    CHECK(book.add(request(1, 10, 1)) == RequestBook::Added::kNew);
    CHECK(book.add(request(1, 10, 1)) == RequestBook::Added::kSeen);
    book.mark_submitted(U256(1));
    CHECK(book.add(request(1, 12, 1, 2)) == RequestBook::Added::kMoved);
    CHECK(book.find(U256(1))->block_number == 12);
    CHECK_FALSE(book.submitted(U256(1)));  // the old submission cannot match the new commitment
    CHECK(book.size() == 1);
}

TEST_CASE("a reorg to block F forgets the requests of the blocks above F") {
    RequestBook book;
    book.add(request(1, 10, 1));
    book.add(request(2, 11, 1));
    book.add(request(3, 12, 1));
    const auto dropped = book.drop_after(10);
    CHECK(dropped == std::vector<U256>{U256(2), U256(3)});
    CHECK(book.size() == 1);
    CHECK(book.find(U256(1)));
}

TEST_CASE("submitted requests are not ready again until released, and then not before their back-off") {
    RequestBook book;
    book.add(request(1, 10, 1));
    book.mark_submitted(U256(1));
    CHECK(book.ready(20, 10).empty());
    CHECK(book.in_flight() == 1);
    book.release(U256(1), 25);
    CHECK(book.ready(24, 10).empty());
    CHECK(book.ready(25, 10).size() == 1);
}

TEST_CASE("a fulfilment that fails on-chain again and again backs off twice as long each time, up to 64 times, and is never dropped") {
    RequestBook book;
    book.add(request(1, 10, 1));
    uint64_t block = 20;
    const uint64_t expected_waits[] = {2, 4, 8, 16, 32, 64, 128, 128, 128};
    for (uint64_t wait : expected_waits) {
        book.mark_submitted(U256(1));
        const uint64_t retry_at = book.fail(U256(1), block, 2);
        CHECK(retry_at == block + wait);
        CHECK(book.ready(retry_at - 1, 10).empty());
        REQUIRE(book.ready(retry_at, 10).size() == 1);
        block = retry_at;
    }
    CHECK(book.failures(U256(1)) == 9);
    // A release (the attempt never reached the chain) does not count as a failure.
    book.release(U256(1), block + 1);
    CHECK(book.failures(U256(1)) == 9);
    CHECK(book.ready(block + 1, 10).size() == 1);
    // Not held: nothing to fail.
    CHECK(book.fail(U256(7), 50, 2) == 50);
    CHECK(book.failures(U256(7)) == 0);
}

TEST_CASE("ready requests come oldest confirmation first, at most the number asked") {
    RequestBook book;
    book.add(request(5, 10, 5));  // ready at 15
    book.add(request(6, 11, 1));  // ready at 12
    book.add(request(7, 9, 4));   // ready at 13
    const auto r = book.ready(20, 2);
    REQUIRE(r.size() == 2);
    CHECK(r[0].request_id == U256(6));
    CHECK(r[1].request_id == U256(7));
}

TEST_CASE("removing a fulfilled request forgets it and reports whether it was held") {
    RequestBook book;
    book.add(request(1, 10, 1));
    CHECK(book.remove(U256(1)));
    CHECK_FALSE(book.remove(U256(1)));
    CHECK(book.size() == 0);
    CHECK_FALSE(book.oldest_block());
}

TEST_CASE("the oldest block held is the lowest request block") {
    RequestBook book;
    book.add(request(1, 30, 1));
    book.add(request(2, 20, 1));
    CHECK(book.oldest_block() == 20u);
}
