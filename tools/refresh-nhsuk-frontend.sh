#!/usr/bin/env bash
# Refreshes the NHS.UK design system's compiled assets under the service's web root from the npm registry.
# The build needs none of this: the assets are committed. Run it to move to another version, then commit.
#
#   tools/refresh-nhsuk-frontend.sh            # the pinned version again (wwwroot/nhsuk-frontend/VERSION)
#   tools/refresh-nhsuk-frontend.sh 10.7.0     # another version
#
# Needs curl, tar, openssl and python3. Checks the tarball against the registry's sha512 integrity and that the
# licence is still MIT (the licence text is kept beside the assets).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
web="$root/src/IpsOutcomes.Api/wwwroot"
version="${1:-$(cat "$web/nhsuk-frontend/VERSION")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl -fsSL "https://registry.npmjs.org/nhsuk-frontend/$version" -o "$work/meta.json"
read -r tarball integrity licence < <(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["dist"]["tarball"], m["dist"]["integrity"], m.get("license", ""))' "$work/meta.json")
[ "$licence" = "MIT" ] || { echo "nhsuk-frontend $version is licensed '$licence', not MIT: check it before use" >&2; exit 1; }

curl -fsSL "$tarball" -o "$work/package.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$work/package.tgz" | base64 -w0)"
[ "$actual" = "$integrity" ] || { echo "integrity mismatch: registry says $integrity, file is $actual" >&2; exit 1; }
tar -xzf "$work/package.tgz" -C "$work"
dist="$work/package/dist/nhsuk"

rm -rf "$web/nhsuk-frontend" "$web/assets"
mkdir -p "$web/nhsuk-frontend" "$web/assets"
cp "$dist/nhsuk-frontend.min.css" "$dist/nhsuk-frontend.min.js" "$web/nhsuk-frontend/"
# The stylesheet refers to its icons at /assets/images/, so they are served from there.
cp -r "$dist/assets/images" "$dist/assets/manifest.json" "$web/assets/"
cp "$root/tools/nhsuk-frontend-LICENSE" "$web/nhsuk-frontend/LICENSE"
echo "$version" > "$web/nhsuk-frontend/VERSION"
echo "nhsuk-frontend $version ($integrity) is in $web"
