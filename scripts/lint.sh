#!/usr/bin/env bash
# Static analysis of the library and the command line with cppcheck; any
# finding fails. (`__has_include` is beyond cppcheck's preprocessor: that one
# directive is not an error of ours.)
set -eu
cd "$(dirname "$0")/.."
cppcheck --quiet --enable=warning,performance,portability --std=c11 --inline-suppr --error-exitcode=1 \
  --suppress=preprocessorErrorDirective:src/privacy/patterns.c \
  -I include -I src src cli
echo "cppcheck: no finding"
