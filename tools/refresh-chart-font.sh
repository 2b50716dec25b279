#!/usr/bin/env bash
# Refreshes the font the charts are drawn in (Liberation Sans, SIL Open Font License 1.1, metric-compatible with
# Arial) from Debian's fonts-liberation2 package. The build needs none of this: the fonts are committed, so a PNG
# renders the same in the container image as on a developer's machine, whatever fonts either has installed.
#
#   tools/refresh-chart-font.sh
#
# Needs apt-get and dpkg-deb (Debian or Ubuntu). Stops unless the package still says SIL-OFL-1.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fonts="$root/src/IpsOutcomes.Api/wwwroot/fonts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && apt-get download fonts-liberation2 >/dev/null)
deb="$(ls "$work"/fonts-liberation2_*.deb)"
dpkg-deb -x "$deb" "$work/x"
grep -q '^License: SIL-OFL-1.1' "$work/x/usr/share/doc/fonts-liberation2/copyright" \
    || { echo "fonts-liberation2 no longer says SIL-OFL-1.1: check its licence before use" >&2; exit 1; }
cp "$work/x/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf" "$work/x/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf" "$fonts/"
cp "$work/x/usr/share/doc/fonts-liberation2/copyright" "$fonts/LICENSE"
echo "fonts-liberation2 $(dpkg-deb -f "$deb" Version) (Debian)" > "$fonts/VERSION"
cat "$fonts/VERSION"
