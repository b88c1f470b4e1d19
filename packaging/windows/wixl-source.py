#!/usr/bin/env python3
"""Writes, from wix/main.wxs, the WiX source that wixl (msitools) can build, to standard output.

wixl implements part of WiX 3. Four things of the release's source are left out, and only these:
the WixUI dialogs (wixl has no dialog library: its MSI installs with Windows' basic progress
window), the PATH entry (wixl has no Environment element), the install folder shown in Apps &
features (no SetProperty) and the 32/64-bit choice by $(sys.BUILDARCH), which wixl does not know
(Faro ships for x64 only); and file names get forward slashes. Everything else (files,
Start-menu shortcut, icon, per-machine scope, upgrade code) is built as written.

    python3 packaging/windows/wixl-source.py wix/main.wxs > faro-wixl.wxs
"""
import re
import sys

text = open(sys.argv[1], encoding="windows-1252").read()
replacements = [
    (r"\$\(sys\.BUILDARCH\) = x64 or \$\(sys\.BUILDARCH\) = arm64", "x64 = x64"),
    (r"<UI>.*?</UI>", ""),
    (r"<Component Id='Path'.*?</Component>", ""),
    (r"<Feature\s+Id='Environment'.*?</Feature>", ""),
    (r"<SetProperty Id='ARPINSTALLLOCATION'[^>]*/>", ""),
]
for pattern, replacement in replacements:
    text, count = re.subn(pattern, replacement, text, flags=re.S)
    if count != 1:
        sys.exit(f"wixl-source: expected one match of {pattern!r} in {sys.argv[1]}, found {count}")
# wixl reads file names as Linux paths: `wix\faro.ico` must be `wix/faro.ico`.
text = re.sub(r"(Source(?:File)?=')([^']*)'", lambda m: m.group(1) + m.group(2).replace("\\", "/") + "'", text)
sys.stdout.write(text)
