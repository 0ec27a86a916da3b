#!/usr/bin/env bash
# Install check: pack the libraries, then build and run a fresh console program outside the repository that takes them
# by PackageReference (from artifacts/packages, plus the normal feed for their dependencies). Exit 0 when its output is
# what expected.txt says.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/.ci/install-check"
packages="$root/artifacts/packages"

rm -rf "$packages"
dotnet pack "$root/TagCache.sln" -c Release -o "$packages" -p:CI=true >/dev/null
version="$(dotnet msbuild "$root/src/TagCache.Core/TagCache.Core.csproj" -getProperty:Version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A package folder of its own, so a package rebuilt under the same version is never taken from an older cache.
export NUGET_PACKAGES="$work/nuget-packages"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="tagcache-local" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML

cd "$work"
dotnet new console -o app --framework net10.0 >/dev/null
cd app
cp "$here/Program.cs" Program.cs
dotnet add package TagCache.Autofac --version "$version" >/dev/null
dotnet add package TagCache.DependencyInjection --version "$version" >/dev/null
dotnet add package Microsoft.Extensions.DependencyInjection --version 10.0.0 >/dev/null
dotnet build -c Release >/dev/null
actual="$(dotnet run -c Release --no-build)"
if [ "$actual" != "$(cat "$here/expected.txt")" ]; then
  echo "install check: unexpected output" >&2
  echo "--- expected" >&2; cat "$here/expected.txt" >&2
  echo "--- actual" >&2; echo "$actual" >&2
  exit 1
fi
echo "install check: TagCache $version packages installed by PackageReference in a fresh project; Autofac and Microsoft DI cache, hit and invalidate"
