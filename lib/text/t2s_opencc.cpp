// t2s_opencc.cpp — the library's only C++: OpenCC's converter, with every
// exception caught here and returned as a GW_E* code (see t2s_opencc.h).
#include "t2s_opencc.h"

#include <opencc/SimpleConverter.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "gongwen.h"

struct gw_opencc {
  explicit gw_opencc(const char *config) : converter(config) {}
  opencc::SimpleConverter converter;
};

namespace {

void explain(char *why, size_t why_size, const char *message) {
  if (why && why_size > 0) std::snprintf(why, why_size, "%s", message);
}

// The code and message for the exception being handled.
int caught(char *why, size_t why_size, int otherwise) {
  try {
    throw;
  } catch (const std::bad_alloc &) {
    explain(why, why_size, "out of memory");
    return GW_ENOMEM;
  } catch (const std::length_error &) {
    explain(why, why_size, "out of memory (text too long)");
    return GW_ENOMEM;
  } catch (const std::exception &e) {
    explain(why, why_size, e.what());
    return otherwise;
  } catch (...) {
    explain(why, why_size, "unknown OpenCC error");
    return otherwise;
  }
}

}  // namespace

extern "C" int gw_opencc_open(gw_opencc **out, const char *config, char *why,
                              size_t why_size) {
  *out = nullptr;
  try {
    *out = new gw_opencc(config);
    return GW_OK;
  } catch (...) {
    return caught(why, why_size, GW_ENOTFOUND);
  }
}

extern "C" int gw_opencc_convert(const gw_opencc *cc, const char *in,
                                 size_t len, char **out, size_t *out_len,
                                 char *why, size_t why_size) {
  *out = nullptr;
  *out_len = 0;
  try {
    std::string converted = cc->converter.Convert(in, len);
    char *copy = static_cast<char *>(std::malloc(converted.size() + 1));
    if (!copy) {
      explain(why, why_size, "out of memory");
      return GW_ENOMEM;
    }
    std::memcpy(copy, converted.data(), converted.size());
    copy[converted.size()] = '\0';
    *out = copy;
    *out_len = converted.size();
    return GW_OK;
  } catch (...) {
    return caught(why, why_size, GW_EINVAL);
  }
}

extern "C" void gw_opencc_close(gw_opencc *cc) { delete cc; }
