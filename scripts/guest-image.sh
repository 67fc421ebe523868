#!/usr/bin/env bash
# Builds the cvex guest VM image reproducibly, from Debian packages and this checkout only:
#
#   scripts/guest-image.sh --out DIR --ovmf FILE --config enclave.json
#                          [--vcpus N] [--vcpu-type T] [--vmm-type V] [--guest-features 0x..]
#
#   DIR/vmlinuz       the kernel of the pinned Debian package (enclave-app/guest/kernel.pin; its
#                     .deb SHA-256 is checked)
#   DIR/initrd.img    a gzip'd newc cpio, sorted, every entry owned by 0:0 with mtime 0: /init
#                     (enclave-app/guest/init, busybox-static), cvex-enclave and exactly the shared
#                     libraries it loads, the kernel modules of enclave-app/guest/modules, the CA
#                     certificates, and the config at /etc/cvex/enclave.json
#   DIR/cmdline       the kernel command line
#   DIR/manifest.json the SEV-SNP launch MEASUREMENT (`cvex measure` over exactly these files and
#                     --ovmf with the launch parameters), every input's SHA-256 and origin, the
#                     kernel package, the cvex commit
#
# The config is measured: every setting that decides whom the guest trusts or pays is in the
# initrd, so changing one changes the MEASUREMENT validators allow-list. Two runs from the same
# checkout give byte-identical files. The OVMF is an input because Debian ships no SNP-capable
# (AmdSevX64) build: pass the one your host or cloud runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
umask 022
export LC_ALL=C TZ=UTC

usage() { echo "usage: scripts/guest-image.sh --out DIR --ovmf FILE --config enclave.json [--vcpus N] [--vcpu-type T] [--vmm-type QEMU|ec2|gce] [--guest-features 0xN]" >&2; exit 2; }
die() { echo "error: $*" >&2; exit 2; }
say() { echo "[guest-image] $*" >&2; }

out=""; ovmf=""; config=""; vcpus=1; vcpu_type=EPYC-v4; vmm_type=QEMU; guest_features=0x1
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case "$1" in
    --out) out=$2 ;; --ovmf) ovmf=$2 ;; --config) config=$2 ;; --vcpus) vcpus=$2 ;;
    --vcpu-type) vcpu_type=$2 ;; --vmm-type) vmm_type=$2 ;; --guest-features) guest_features=$2 ;;
    *) usage ;;
  esac
  shift 2
done
[ -n "$out" ] && [ -n "$ovmf" ] || usage
[ -n "$config" ] || die "--config is required: the guest's config is baked into the measured initrd"
[ -r "$ovmf" ] && [ -f "$ovmf" ] || die "--ovmf: cannot read $ovmf"
[ -r "$config" ] && [ -f "$config" ] || die "--config: cannot read $config"
[[ "$vcpus" =~ ^[1-9][0-9]*$ ]] || die "--vcpus must be a positive integer, not '$vcpus'"
[[ "$guest_features" =~ ^0x[0-9a-fA-F]+$ ]] || die "--guest-features must be 0x-hex, not '$guest_features'"

scripts/setup.sh --vm >&2
bin=${CVEX_BIN_DIR:-build/bin}
for b in cvex cvex-enclave; do
  [ -x "$bin/$b" ] || die "$bin/$b is missing: build first (scripts/build.sh)"
done
"$bin/cvex-enclave" --config "$config" --check >/dev/null || exit 2  # its one error line names the key
# A policy file would have to be in the initrd too: an image names a built-in policy.
pol=$(grep -o '"attestation_policy"[[:space:]]*:[[:space:]]*"[^"]*"' "$config" | sed 's/.*"\([^"]*\)"$/\1/' || true)
case "$pol" in ""|default|permissive) ;;
  *) die "--config: attestation_policy '$pol' names a file of this machine; an image's config names \"default\" or \"permissive\"" ;;
esac
# The binary must not depend on where it was built (Release builds embed no source path).
! grep -qF "$root" "$bin/cvex-enclave" || die "$bin/cvex-enclave embeds the build path $root: it would not be reproducible"

# --- The pinned kernel package, downloaded once into a cache and checked every time.
# shellcheck source=../enclave-app/guest/kernel.pin
. enclave-app/guest/kernel.pin
cache=${CVEX_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cvex}/debs
deb="$cache/${KERNEL_PACKAGE}_${KERNEL_VERSION}_amd64.deb"
mkdir -p "$cache"
if [ ! -f "$deb" ] || [ "$(sha256sum < "$deb" | cut -d' ' -f1)" != "$KERNEL_DEB_SHA256" ]; then
  say "downloading $KERNEL_PACKAGE=$KERNEL_VERSION from Debian"
  dl=$(mktemp -d); trap 'rm -rf "$dl"' EXIT
  fetch() { (cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "$KERNEL_PACKAGE=$KERNEL_VERSION" >&2); }
  # Stale package lists are the usual reason: refresh them once (as root) and try again.
  fetch || { [ "$(id -u)" -eq 0 ] && apt-get update -qq >&2 && fetch; } \
    || die "cannot download $KERNEL_PACKAGE=$KERNEL_VERSION (run apt-get update; if Debian no longer serves it, pin a new one in enclave-app/guest/kernel.pin)"
  mv "$dl"/*.deb "$deb.part" && mv "$deb.part" "$deb"
fi
deb_sha=$(sha256sum < "$deb" | cut -d' ' -f1)
[ "$deb_sha" = "$KERNEL_DEB_SHA256" ] || die "$deb has SHA-256 $deb_sha, not the pinned $KERNEL_DEB_SHA256"

work=$(mktemp -d "${TMPDIR:-/tmp}/cvex-guest-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
stage=$work/initrd
kdir=lib/modules/$KERNEL_RELEASE
mapfile -t modules < <(grep -v '^#' enclave-app/guest/modules | grep -v '^$')
members=("./boot/vmlinuz-$KERNEL_RELEASE")
for m in "${modules[@]}"; do members+=("./$kdir/kernel/$m"); done
# Extracted once per package version and module list (xz over the whole package is the slow part).
kcache="$cache/${KERNEL_PACKAGE}_${KERNEL_VERSION}.$(sha256sum < enclave-app/guest/modules | cut -c1-16)"
if [ ! -d "$kcache" ]; then
  mkdir -p "$work/k"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work/k" "${members[@]}" || die "the kernel package lacks a file named in enclave-app/guest/modules"
  mv "$work/k" "$kcache.$$" && { mv -T "$kcache.$$" "$kcache" 2>/dev/null || rm -rf "$kcache.$$"; }
fi
cp -r "$kcache/." "$work/"

# --- The initrd's tree
mkdir -p "$stage"/{bin,dev,etc/cvex,etc/ssl/certs,lib/modules,proc,run,sys,tmp,usr/bin,usr/lib/ssl}
chmod 1777 "$stage/tmp"
manifest_files=()  # "path sha256 origin" per initrd file, for the manifest
add() {  # add SRC DEST ORIGIN [MODE]
  local src=$1 dest=$2 origin=$3 mode=${4:-0644}
  [ -n "$origin" ] || die "$src belongs to no Debian package: the image takes files only from Debian packages and this checkout"
  mkdir -p "$(dirname "$stage/$dest")"
  cp -L "$src" "$stage/$dest"
  chmod "$mode" "$stage/$dest"
  manifest_files+=("$dest $(sha256sum < "$stage/$dest" | cut -d' ' -f1) $origin")
}
# Which Debian package (and version) installed each host file: one dpkg-query for all of them,
# asked under every name a merged-/usr system may have registered the file by.
declare -A pkg_by_path
variants() { local p; for p in "$1" "$(readlink -f "$1")"; do echo "$p"; echo "/usr${p#/usr}"; echo "${p#/usr}"; done; }
index_packages() {
  local line pkg path
  while IFS= read -r line; do
    pkg=${line%%: /*}; path=/${line#*: /}; pkg=${pkg%%:*}
    pkg_by_path[$path]="$pkg=$(dpkg-query -W -f='${Version}' "$pkg")"
  done < <(for f in "$@"; do variants "$f"; done | sort -u | xargs dpkg-query -S 2>/dev/null || true)
}
pkg_of() {  # empty when no package owns the file
  local v
  while read -r v; do [ -z "${pkg_by_path[$v]:-}" ] || { echo "${pkg_by_path[$v]}"; return; }; done < <(variants "$1")
}
mapfile -t libs < <(ldd "$bin/cvex-enclave" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u)
index_packages /bin/busybox "${libs[@]}"
add enclave-app/guest/init init checkout 0755
add /bin/busybox bin/busybox "$(pkg_of /bin/busybox)" 0755
add "$bin/cvex-enclave" usr/bin/cvex-enclave "checkout" 0755
# Exactly the shared objects the dynamic loader maps for cvex-enclave (ldd), at the paths it
# looks them up by.
for lib in "${libs[@]}"; do
  mode=0644; [[ "$lib" == */ld-linux* ]] && mode=0755
  add "$lib" "${lib#/}" "$(pkg_of "$lib")" "$mode"
done
for m in "${modules[@]}"; do
  add "$work/$kdir/kernel/$m" "lib/modules/$(basename "$m")" "$KERNEL_PACKAGE=$KERNEL_VERSION"
done
for m in "${modules[@]}"; do basename "$m" .ko; done > "$stage/lib/modules/cvex.order"
manifest_files+=("lib/modules/cvex.order $(sha256sum < "$stage/lib/modules/cvex.order" | cut -d' ' -f1) enclave-app/guest/modules")
# The CA bundle for HTTPS RPC, from the ca-certificates package's own files in name order (not
# the host's /etc/ssl/certs/ca-certificates.crt, which local additions change).
mapfile -t cas < <(dpkg-query -L ca-certificates | grep '^/usr/share/ca-certificates/.*\.crt$' | sort)
[ ${#cas[@]} -gt 0 ] || die "the ca-certificates package has no certificates"
cat "${cas[@]}" > "$work/ca-certificates.crt"
add "$work/ca-certificates.crt" etc/ssl/certs/ca-certificates.crt "ca-certificates=$(dpkg-query -W -f='${Version}' ca-certificates)"
ln -s ../../../etc/ssl/certs/ca-certificates.crt "$stage/usr/lib/ssl/cert.pem"  # OpenSSL's default CA file
add "$config" etc/cvex/enclave.json config

# --- A deterministic cpio: sorted names, 0:0, mtime 0, renumbered inodes; gzip without a name or time.
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 | sort | cpio -o -H newc --reproducible -R 0:0 --quiet) | gzip -n -6 > "$work/initrd.img"
printf '%s' "console=ttyS0 panic=-1" > "$work/cmdline"
cp "$work/boot/vmlinuz-$KERNEL_RELEASE" "$work/vmlinuz"

# --- The launch measurement: what AMD's firmware will compute when QEMU boots these files with
# this OVMF (kernel-hashes=on), recomputed here from the files alone.
append=$(cat "$work/cmdline")
measurement=$("$bin/cvex" measure --mode snp --vcpus "$vcpus" --vcpu-type "$vcpu_type" --vmm-type "$vmm_type" \
  --guest-features "$guest_features" --ovmf "$ovmf" --kernel "$work/vmlinuz" --initrd "$work/initrd.img" --append "$append") \
  || die "cvex measure failed (above)"
[[ "$measurement" =~ ^[0-9a-f]{96}$ ]] || die "cvex measure printed '$measurement', not 48 bytes of hex"

sha() { sha256sum < "$1" | cut -d' ' -f1; }
commit=$(git rev-parse --verify -q HEAD || echo unknown)
dirty=false; [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=true
{
  printf '{\n  "format": "cvex-guest-image/1",\n  "measurement": "%s",\n' "$measurement"
  printf '  "launch": {"mode": "snp", "vcpus": %s, "vcpu_type": "%s", "vmm_type": "%s", "guest_features": "%s", "ovmf_sha256": "%s", "kernel_hashes": true},\n' \
    "$vcpus" "$vcpu_type" "$vmm_type" "$guest_features" "$(sha "$ovmf")"
  printf '  "files": {"vmlinuz": "%s", "initrd.img": "%s", "cmdline": "%s"},\n' "$(sha "$work/vmlinuz")" "$(sha "$work/initrd.img")" "$(sha "$work/cmdline")"
  printf '  "cmdline": "%s",\n' "$append"
  printf '  "kernel": {"package": "%s", "version": "%s", "release": "%s", "deb_sha256": "%s"},\n' \
    "$KERNEL_PACKAGE" "$KERNEL_VERSION" "$KERNEL_RELEASE" "$deb_sha"
  printf '  "config": {"path": "/etc/cvex/enclave.json", "sha256": "%s"},\n' "$(sha "$config")"
  printf '  "initrd": [\n'
  n=${#manifest_files[@]}; i=0
  while read -r path hash origin; do
    i=$((i + 1)); sep=","; [ $i -eq "$n" ] && sep=""
    printf '    {"path": "/%s", "sha256": "%s", "origin": "%s"}%s\n' "$path" "$hash" "$origin" "$sep"
  done < <(printf '%s\n' "${manifest_files[@]}" | sort)
  printf '  ],\n  "cvex": {"commit": "%s", "dirty": %s}\n}\n' "$commit" "$dirty"
} > "$work/manifest.json"

mkdir -p "$out"
for f in vmlinuz initrd.img cmdline manifest.json; do cp "$work/$f" "$out/$f"; done
say "$out: measurement $measurement ($(du -k "$out/initrd.img" | cut -f1) KiB initrd, kernel $KERNEL_PACKAGE $KERNEL_VERSION)"
echo "$measurement"
