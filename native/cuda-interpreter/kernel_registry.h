// Turns an extern "C" kernel into a KernelEntry: its parameter list as the C++ signature
// declares it (sizes, which are pointers and to what) and an invoker that unpacks the driver's
// kernelParams array, so cuLaunchKernel needs no per-kernel code.
#pragma once
#include "interpreter_abi.h"

#include <type_traits>
#include <utility>

namespace interp {

template <typename T>
constexpr const char* type_name() {
    typedef typename std::remove_cv<T>::type U;
    if constexpr (std::is_pointer<U>::value) {
        typedef typename std::remove_pointer<U>::type P;
        typedef typename std::remove_cv<P>::type Q;
        constexpr bool c = std::is_const<P>::value;
        if constexpr (std::is_same<Q, double>::value) return c ? "const double*" : "double*";
        else if constexpr (std::is_same<Q, float>::value) return c ? "const float*" : "float*";
        else if constexpr (std::is_same<Q, int>::value) return c ? "const int*" : "int*";
        else if constexpr (std::is_same<Q, unsigned>::value) return c ? "const unsigned*" : "unsigned*";
        else if constexpr (std::is_same<Q, unsigned char>::value) return c ? "const unsigned char*" : "unsigned char*";
        else if constexpr (std::is_same<Q, bool>::value) return c ? "const bool*" : "bool*";
        else if constexpr (std::is_same<Q, long long>::value) return c ? "const long long*" : "long long*";
        else return "pointer";
    } else if constexpr (std::is_same<U, double>::value) return "double";
    else if constexpr (std::is_same<U, float>::value) return "float";
    else if constexpr (std::is_same<U, int>::value) return "int";
    else if constexpr (std::is_same<U, unsigned>::value) return "unsigned";
    else if constexpr (std::is_same<U, long long>::value) return "long long";
    else if constexpr (std::is_same<U, bool>::value) return "bool";
    else return "struct";
}

template <typename T>
constexpr Param describe_param() {
    typedef typename std::remove_cv<typename std::remove_reference<T>::type>::type U;
    unsigned pointee = 0;
    if constexpr (std::is_pointer<U>::value) {
        typedef typename std::remove_cv<typename std::remove_pointer<U>::type>::type P;
        if constexpr (std::is_void<P>::value) pointee = 1;
        else pointee = sizeof(P);
    }
    return Param{(unsigned)sizeof(U), pointee, type_name<U>()};
}

template <auto F>
struct Kernel;

template <typename... A, void (*F)(A...)>
struct Kernel<F> {
    static void invoke(void* const* args) { call(args, std::index_sequence_for<A...>{}); }
    template <std::size_t... I>
    static void call(void* const* args, std::index_sequence<I...>) {
        (void)args;
        F(*static_cast<typename std::remove_cv<typename std::remove_reference<A>::type>::type*>(args[I])...);
    }
    static constexpr int count = sizeof...(A);
    // one extra element so that a kernel without parameters still has an array
    static constexpr Param params[sizeof...(A) + 1] = {describe_param<A>()..., Param{0, 0, nullptr}};
};

template <auto F>
constexpr KernelEntry entry(const char* name, const char* family) {
    return KernelEntry{name, &Kernel<F>::invoke, Kernel<F>::count, Kernel<F>::params, family, nullptr};
}

}  // namespace interp
