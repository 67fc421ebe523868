// Expected<T, E>: a value or a typed error, returned by every parser in cvex (C++23's
// std::expected is not available with g++ 12). Parsing never throws past its API.
#pragma once

#include <concepts>
#include <utility>
#include <variant>

namespace cvex::chain {

template <class E>
struct Unexpected {
    E error;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    template <class G>
    Expected(Unexpected<G> e) : v_(std::in_place_index<1>, E(std::move(e.error))) {}

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const E& error() const& { return std::get<1>(v_); }
    E&& error() && { return std::get<1>(std::move(v_)); }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// True when holding a value equal to `v` (an error never equals a value).
    template <class U>
        requires std::equality_comparable_with<T, U>
    bool operator==(const U& v) const {
        return has_value() && value() == v;
    }

private:
    std::variant<T, E> v_;
};

}  // namespace cvex::chain
