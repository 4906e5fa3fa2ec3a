// t2s_dict_gen.cpp — build-time generator of the phrase converter's
// dictionaries (t2s_dict.h): OpenCC's TSPhrases and TSCharacters as
// installed on the build machine, each entry's key and first candidate.
//
// The library used to open OpenCC at run time for traditional paragraphs.
// Linking OpenCC ran its C++ static initializers before main(): when one of
// them could not allocate, the process ended in std::terminate before any
// caller could see an error.  With the dictionaries compiled in, the
// conversion (t2s.c) is plain C and OpenCC is needed only here.
//
// Usage: t2s_dict_gen OPENCC_DATA_DIR OUTPUT.h   (exit 1 with a message)
#include <opencc/DictEntry.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/MarisaDict.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

typedef std::vector<std::pair<std::string, std::string>> Entries;

Entries read_dict(const std::string &path) {
  FILE *fp = std::fopen(path.c_str(), "rb");
  if (!fp)
    throw std::runtime_error(path +
                             ": cannot open (install the Debian package "
                             "'libopencc-data')");
  opencc::MarisaDictPtr dict = opencc::MarisaDict::NewFromFile(fp);
  std::fclose(fp);
  Entries entries;
  for (const auto &entry : *dict->GetLexicon())
    entries.emplace_back(entry->Key(), entry->GetDefault());
  // Byte order, the order t2s.c's binary searches assume.
  std::sort(entries.begin(), entries.end());
  if (entries.empty()) throw std::runtime_error(path + ": no entries");
  return entries;
}

void write_bytes(FILE *out, const std::string &s, size_t *column) {
  for (unsigned char c : s) {
    std::fprintf(out, "%u,", static_cast<unsigned>(c));
    if (++*column % 24 == 0) std::fputs("\n  ", out);
  }
}

// NAME_pool: the keys and values, back to back; NAME: {key offset, key
// length, value offset, value length} in key order.
void write_dict(FILE *out, const char *name, const Entries &entries) {
  std::fprintf(out, "static const unsigned char %s_pool[] = {\n  ", name);
  size_t column = 0;
  std::vector<size_t> offsets;
  size_t at = 0;
  for (const auto &e : entries) {
    offsets.push_back(at);
    write_bytes(out, e.first, &column);
    write_bytes(out, e.second, &column);
    at += e.first.size() + e.second.size();
  }
  std::fprintf(out, "0};\nstatic const t2s_dict_entry %s_entries[] = {\n",
               name);
  for (size_t i = 0; i < entries.size(); i++)
    std::fprintf(out, "  {%zu, %zu, %zu, %zu},\n", offsets[i],
                 entries[i].first.size(), offsets[i] + entries[i].first.size(),
                 entries[i].second.size());
  std::fprintf(out, "};\n");
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: t2s_dict_gen OPENCC_DATA_DIR OUTPUT.h\n");
    return 1;
  }
  std::string dir = argv[1], output = argv[2], tmp = output + ".tmp";
  try {
    Entries phrases = read_dict(dir + "/TSPhrases.ocd2");
    Entries characters = read_dict(dir + "/TSCharacters.ocd2");
    FILE *out = std::fopen(tmp.c_str(), "w");
    if (!out) throw std::runtime_error(tmp + ": cannot write");
    std::fprintf(out,
                 "/* t2s_dict.h — generated at build time by t2s_dict_gen "
                 "from OpenCC's\n * TSPhrases.ocd2 and TSCharacters.ocd2 "
                 "(t2s.c).  Do not edit. */\n");
    write_dict(out, "t2s_phrases", phrases);
    write_dict(out, "t2s_characters", characters);
    if (std::fclose(out) != 0 || std::rename(tmp.c_str(), output.c_str()))
      throw std::runtime_error(output + ": cannot write");
  } catch (const std::exception &e) {
    std::remove(tmp.c_str());
    std::fprintf(stderr, "t2s_dict_gen: %s\n", e.what());
    return 1;
  }
  return 0;
}
