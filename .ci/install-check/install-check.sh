#!/usr/bin/env bash
# Install check: in a new console project outside the repository, with an empty package cache, run the commands of the
# README's install block exactly as written (with TAGCACHE set to this repository), then build and run a program that
# caches, hits and invalidates through both containers. Exit 0 when its output is what expected.txt says.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/.ci/install-check"

# The block between the install markers in README.md, without its code fence.
commands="$(awk '/<!-- install:/{inside=1; next} /<!-- \/install -->/{inside=0} inside && !/^```/' "$root/README.md")"
if [ -z "$commands" ]; then
  echo "install check: README.md has no install block between <!-- install: ... --> and <!-- /install -->" >&2
  exit 1
fi

# The README names the version the build makes.
version="$(dotnet msbuild "$root/src/TagCache.Core/TagCache.Core.csproj" -getProperty:Version)"
if ! grep -q -- "--version $version" <<<"$commands"; then
  echo "install check: the README's install block does not name version $version" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# An empty package cache: every package comes from the sources the README's commands configure, as on a new machine.
export NUGET_PACKAGES="$work/nuget-packages"
rm -rf "$root/artifacts/packages"

cd "$work"
dotnet new console -o app --framework net10.0 >/dev/null
cd app
cp "$here/Program.cs" Program.cs
echo "install check: running the README's install commands in $(pwd)"
export TAGCACHE="$root"
bash -euo pipefail -c "$commands" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; echo "install check: the README's install commands failed" >&2; exit 1; }

# Packages that see each other's internals depend on each other at exactly their own version.
# (dotnet pack leaves each package's manifest in its obj folder.)
for nuspec in "$root"/src/*/obj/Release/TagCache.*."$version".nuspec; do
  loose="$(grep -o 'dependency id="TagCache[^"]*" version="[^"]*"' "$nuspec" | grep -v "version=\"\[$version\]\"" || true)"
  if [ -n "$loose" ]; then
    echo "install check: $(basename "$nuspec") depends on a sibling package at a version other than exactly [$version]: $loose" >&2
    exit 1
  fi
done

# The program also needs Microsoft DI's container itself (the package above brings only its abstractions).
dotnet add package Microsoft.Extensions.DependencyInjection --version 10.0.0 >/dev/null
dotnet build -c Release >/dev/null
actual="$(dotnet run -c Release --no-build)"
if [ "$actual" != "$(cat "$here/expected.txt")" ]; then
  echo "install check: unexpected output" >&2
  echo "--- expected" >&2; cat "$here/expected.txt" >&2
  echo "--- actual" >&2; echo "$actual" >&2
  exit 1
fi
echo "install check: TagCache $version installed by the README's commands in a new project with an empty package cache; Autofac and Microsoft DI cache, hit and invalidate"
