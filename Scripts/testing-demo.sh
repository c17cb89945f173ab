#!/usr/bin/env bash
# The demonstration of SSIMTesting's verdicts on real pictures: a page of text and shapes
# rendered by ImageMagick, against itself after a one-pixel shift, without anti-aliasing, with
# softer anti-aliasing, with a word deleted, with a button's colour changed and through JPEG. Prints the verdicts of the default SimilarityCriteria
# (the numbers of the SSIMTesting article) and writes the overlays and heat-maps.
#
#   apt-get install imagemagick fonts-dejavu-core
#   Scripts/testing-demo.sh [DIR]          # default: testing-demo-output/
#
# DIR/reference.png and the variants; DIR/verdicts/NAME.diff.png and NAME.ssim-map.png for the failures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-testing-demo-output}
mkdir -p "$out"
# /usr/bin first: some machines put a stand-in `convert` earlier on the PATH.
convert=$(command -v /usr/bin/convert || command -v magick || command -v convert)
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

# draw SHIFT ANTIALIAS TEXT BUTTONCOLOR FILE
draw() {
  local shift=$1 antialias=$2 text=$3 button=$4 file=$5
  "$convert" -size 640x400 xc:white $antialias -font "$font" \
    -fill '#1f2d3d' -pointsize 28 -draw "text $((40 + shift)),60 'Quarterly report'" \
    -fill '#444444' -pointsize 16 -draw "text $((40 + shift)),100 '$text'" \
    -fill '#444444' -pointsize 16 -draw "text $((40 + shift)),124 'Revenue grew in every region but one.'" \
    -stroke '#2a6fdb' -strokewidth 3 -fill none \
    -draw "polyline $((60 + shift)),330 $((160 + shift)),290 $((260 + shift)),310 $((360 + shift)),230 $((460 + shift)),250 $((560 + shift)),180" \
    -stroke none -fill "$button" -draw "roundrectangle $((440 + shift)),40 $((600 + shift)),84 10,10" \
    -fill white -pointsize 18 -draw "text $((478 + shift)),69 'Export'" \
    -fill '#e0e0e0' -draw "rectangle $((40 + shift)),350 $((600 + shift)),352" \
    "$file"
}
words='Sales were up twelve percent since the spring launch.'
draw 0 "" "$words" '#2a6fdb' "$out/reference.png"
draw 1 "" "$words" '#2a6fdb' "$out/shifted-1px.png"
draw 0 +antialias "$words" '#2a6fdb' "$out/no-antialiasing.png"
draw 0 "" 'Sales were up percent since the spring launch.' '#2a6fdb' "$out/deleted-word.png"
draw 0 "" "$words" '#2fa84f' "$out/button-colour.png"
draw 0 "" "$words" '#2a6fdb' "$out/identical.png"
# Softer anti-aliasing: the page's edges blurred by 0.4 and 0.6 pixels (another rasterizer).
"$convert" "$out/reference.png" -blur 0x0.4 "$out/softer-antialiasing.png"
"$convert" "$out/reference.png" -blur 0x0.6 "$out/softer-antialiasing-0.6.png"
# A JPEG round trip at quality 90 of the reference, as a lossy screenshot pipeline would make it.
"$convert" "$out/reference.png" -quality 90 "$out/jpeg-q90.jpg"
"$convert" "$out/jpeg-q90.jpg" "$out/jpeg-q90.png" && rm "$out/jpeg-q90.jpg"

swift build -c release --product ssim-testing-benchmark >/dev/null
"$(swift build -c release --show-bin-path)/ssim-testing-benchmark" --demo "$out"
