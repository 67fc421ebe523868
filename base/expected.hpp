// Expected<T, E>: a value or a typed error, returned by every parser in cvex (C++23's
// std::expected is not available with g++ 12). Parsing never throws past its API.
// Expected<void, E> is the form for operations that succeed with nothing to return, and CVEX_TRY
// the one early-return macro. Error types expose their text as `message()`.
#pragma once

#include <concepts>
#include <optional>
#include <utility>
#include <variant>

namespace cvex {

template <class E>
struct Unexpected {
    // A constructor, not only aggregate initialisation, so that `Unexpected(e)` compiles with
    // clang 14 too (the sanitizer and fuzz build), which lacks C++20's parenthesised aggregate init.
    explicit Unexpected(E e) : error(std::move(e)) {}
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

/// Success carries nothing: `return {};` succeeds, `return Unexpected{e};` fails.
template <class E>
class [[nodiscard]] Expected<void, E> {
public:
    Expected() = default;
    template <class G>
    Expected(Unexpected<G> e) : error_(E(std::move(e.error))), failed_(true) {}

    bool has_value() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const {}
    const E& error() const& { return *error_; }
    E&& error() && { return std::move(*error_); }

private:
    std::optional<E> error_;
    bool failed_ = false;
};

}  // namespace cvex

/// Evaluates `expr` (an Expected) into a new local `var`; on error returns its error from the
/// enclosing function, which must return an Expected whose error type it converts to.
#define CVEX_TRY(var, expr)   \
    auto var = (expr);        \
    if (!var) return ::cvex::Unexpected{std::move(var).error()}
