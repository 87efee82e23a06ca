// Reading the little-endian binary files the Java side writes for the emulation drivers
// (KsEmulationData, KsDeviceLossEmulationData, BilliardsEmulationData): one copy for every driver.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

template <typename V>
static void read(std::ifstream& in, std::vector<V>& v, size_t count) {
    v.resize(count);
    in.read(reinterpret_cast<char*>(v.data()), count * sizeof(V));
}

// The data file, or exit 2 naming it.
static std::ifstream openData(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) { std::fprintf(stderr, "cannot read %s\n", path); std::exit(2); }
    return in;
}
