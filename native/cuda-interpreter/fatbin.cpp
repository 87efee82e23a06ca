// What a module image declares about its kernels, read from the PTX that the project's fatbins
// carry (compute_90, uncompressed: native/build-kernels.sh passes -no-compress): each .entry's
// name, parameter sizes, .maxntid and static .shared bytes. cuModuleLoadData binds these names
// to the host build, and the sizes are checked against the host signature at cuModuleGetFunction.
// Fatbin layout (little-endian): a 16-byte header {u32 magic 0xBA55ED50, u16 version, u16 header
// size, u64 size of the entries}, then entries {u16 kind (1 PTX, 2 ELF), u16, u32 header size,
// u64 payload size, ...}, each followed by its payload.
#include "driver_state.h"

#include <cstring>
#include <regex>

namespace interp {
namespace {

constexpr uint32_t FATBIN_MAGIC = 0xBA55ED50;

template <typename T>
T read_le(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

unsigned ptx_param_size(const std::string& type, const std::string& rest) {
    unsigned element = 1;
    if (type == ".u64" || type == ".s64" || type == ".f64" || type == ".b64") element = 8;
    else if (type == ".u32" || type == ".s32" || type == ".f32" || type == ".b32") element = 4;
    else if (type == ".u16" || type == ".s16" || type == ".b16" || type == ".f16") element = 2;
    static const std::regex extent("\\[(\\d+)\\]");
    std::smatch m;
    if (std::regex_search(rest, m, extent)) return element * (unsigned)std::stoul(m[1]);
    return element;
}

void read_ptx(const std::string& ptx, std::vector<FatbinEntry>* out) {
    static const std::regex entry_re("\\.entry\\s+([A-Za-z_$][A-Za-z0-9_$]*)\\s*\\(");
    static const std::regex param_re("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?(\\.[a-z0-9]+)\\s+[A-Za-z0-9_$]+([^,)]*)");
    static const std::regex maxntid_re("\\.maxntid\\s+(\\d+)(?:\\s*,\\s*(\\d+))?(?:\\s*,\\s*(\\d+))?");
    static const std::regex shared_re("\\.shared\\s+(?:\\.align\\s+\\d+\\s+)?\\.b8\\s+[A-Za-z0-9_$]+\\[(\\d+)\\]");
    auto begin = std::sregex_iterator(ptx.begin(), ptx.end(), entry_re);
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        FatbinEntry e;
        e.name = (*it)[1];
        size_t open = it->position(0) + it->length(0);
        size_t close = ptx.find(')', open);
        size_t body = ptx.find('{', close);
        if (close == std::string::npos || body == std::string::npos) continue;
        std::string params = ptx.substr(open, close - open);
        for (auto p = std::sregex_iterator(params.begin(), params.end(), param_re); p != std::sregex_iterator(); ++p) {
            e.param_sizes.push_back(ptx_param_size((*p)[1], (*p)[2]));
        }
        std::string directives = ptx.substr(close, body - close);
        std::smatch m;
        e.max_threads = 0;
        if (std::regex_search(directives, m, maxntid_re)) {
            e.max_threads = (unsigned)std::stoul(m[1]);
            if (m[2].matched) e.max_threads *= (unsigned)std::stoul(m[2]);
            if (m[3].matched) e.max_threads *= (unsigned)std::stoul(m[3]);
        }
        // the body ends at the brace that balances the opening one
        int depth = 0;
        size_t end = body;
        for (; end < ptx.size(); end++) {
            if (ptx[end] == '{') depth++;
            else if (ptx[end] == '}' && --depth == 0) break;
        }
        std::string text = ptx.substr(body, end - body);
        e.static_shared = 0;
        // __syncthreads* (bar.sync, barrier.sync, bar.red), __syncwarp (bar.warp.sync), shuffles,
        // votes and the like: a kernel without any of these never waits for another thread
        e.synchronizes = false;
        for (const char* op : {"bar.sync", "barrier.sync", "bar.red", "barrier.red", "bar.warp.sync", "barrier.cta",
                               "shfl.sync", "vote.sync", "vote.", "match.sync", "redux.sync", "bar.arrive"}) {
            e.synchronizes |= text.find(op) != std::string::npos;
        }
        for (auto s = std::sregex_iterator(text.begin(), text.end(), shared_re); s != std::sregex_iterator(); ++s) {
            e.static_shared += (unsigned)std::stoul((*s)[1]);
        }
        out->push_back(e);
    }
}

}  // namespace

bool read_fatbin(const void* image, std::vector<FatbinEntry>* entries, std::string* why) {
    const unsigned char* b = static_cast<const unsigned char*>(image);
    if (!b) { *why = "the image is null"; return false; }
    if (read_le<uint32_t>(b) != FATBIN_MAGIC) {
        // a bare PTX image
        const char* text = reinterpret_cast<const char*>(b);
        size_t n = strnlen(text, size_t(64) << 20);
        std::string ptx(text, n);
        if (ptx.find(".version") == std::string::npos) {
            *why = "the image is neither a fatbin (magic 0xBA55ED50) nor PTX text";
            return false;
        }
        read_ptx(ptx, entries);
        return true;
    }
    const uint16_t header = read_le<uint16_t>(b + 6);
    const uint64_t size = read_le<uint64_t>(b + 8);
    uint64_t at = header;
    bool ptx_found = false;
    while (at + 16 <= header + size) {
        const unsigned char* e = b + at;
        const uint16_t kind = read_le<uint16_t>(e);
        const uint32_t entry_header = read_le<uint32_t>(e + 4);
        const uint64_t payload = read_le<uint64_t>(e + 8);
        if (entry_header < 16 || payload > size) { *why = "the fatbin's entry at byte " + std::to_string(at) + " is malformed"; return false; }
        if (kind == 1 && !ptx_found) {
            std::string ptx(reinterpret_cast<const char*>(e + entry_header), payload);
            if (ptx.find(".version") == std::string::npos) {
                *why = "the fatbin's PTX is compressed (build the kernels with -no-compress)";
                return false;
            }
            ptx.resize(strnlen(ptx.c_str(), ptx.size()));
            read_ptx(ptx, entries);
            ptx_found = true;
        }
        at += entry_header + payload;
    }
    if (!ptx_found) { *why = "the fatbin carries no PTX (build with a compute_XX code target)"; return false; }
    return true;
}

}  // namespace interp
