#!/usr/bin/env bash
# Publishes the example with Native AOT (clang links it, or gcc where only gcc is installed) and runs the executable.
set -euo pipefail
cd "$(dirname "$0")"
linker=()
if ! command -v clang >/dev/null 2>&1 && command -v gcc >/dev/null 2>&1; then
  linker=(-p:CppCompilerAndLinker=gcc)
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
dotnet publish -c Release -r linux-x64 "${linker[@]}" -o "$out" -nologo
"$out/TagCache.Examples.Aot"
