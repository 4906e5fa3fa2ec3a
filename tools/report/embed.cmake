# Turns the report's template files into C strings (cmake -P, no Python):
#   cmake -DOUTPUT=report_template.c -DINPUTS="a.html|b.css|c.js"
#         -DNAMES="gw_report_template_html|..." -P embed.cmake
# Each file becomes `const char NAME[] = {bytes..., 0};`.
string(REPLACE "|" ";" INPUTS "${INPUTS}")
string(REPLACE "|" ";" NAMES "${NAMES}")
list(LENGTH INPUTS count)
math(EXPR last "${count} - 1")
set(text "/* Generated from tools/report/ by embed.cmake: do not edit. */\n#include \"report_template.h\"\n")
foreach(i RANGE ${last})
  list(GET INPUTS ${i} input)
  list(GET NAMES ${i} name)
  file(READ "${input}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # 24 bytes a line keeps the generated file readable by compilers and people
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
  string(APPEND text "const char ${name}[] = {\n${bytes}0};\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${text}")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
