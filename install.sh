#!/usr/bin/env bash
# Publishes taskmasterd and taskmasterctl with NativeAOT and installs them into PREFIX/bin.
# Usage: ./install.sh [PREFIX]   (default /usr/local)
set -euo pipefail
prefix=${1:-/usr/local}
cd "$(dirname "$0")"

missing=()
command -v clang >/dev/null || missing+=(clang)
command -v ld.lld >/dev/null || missing+=(lld)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install: NativeAOT needs ${missing[*]}; installing from Debian"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for p in taskmasterd taskmasterctl; do
  dotnet publish "src/$p/$p.csproj" -c Release -r linux-x64 -o "$out" -p:DebugType=none -p:StripSymbols=true
done
install -d "$prefix/bin"
install -m 0755 "$out/taskmasterd" "$out/taskmasterctl" "$prefix/bin/"
echo "install: taskmasterd and taskmasterctl are in $prefix/bin"
