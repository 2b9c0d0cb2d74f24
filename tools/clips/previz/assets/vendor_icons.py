"""Rebuild `fluent-emoji-flat.json.gz` from the npm package (run by hand, not at run time).

    npm pack @iconify-json/fluent-emoji-flat@1.2.6 && tar xzf iconify-json-fluent-emoji-flat-1.2.6.tgz
    python vendor_icons.py package/icons.json

Keeps the objects, animals, plants, vehicles and buildings the previz draws,
and leaves out faces, hands, people (the previz draws its own people, one
look per character), flags, zodiac signs and UI symbols.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

_SKIP = re.compile(
    r"(face|button|arrow|-sign|symbol|keycap|oclock|thirty|heart|circle|square|diamond|^(man|woman|person|people)(-|$)"
    r"|hand(?!bag)|finger|fist|japanese|blood-type|^(aries|taurus|gemini|cancer|leo|virgo|libra|scorpio|sagittarius"
    r"|capricorn|aquarius|pisces|ophiuchus)$|track|-mark|banknote|input-|-light$|-dark$|-medium"
    r"|^(boy|girl|baby|child|adult|older-person|old-man|old-woman)$|thumbs|kiss|speech|gesture|vulcan|victory"
    r"|salute|pinch|palm-(?!tree)|nose|^ear$|mouth|tongue|eye|^leg$|^foot$|brain|lungs|tooth|biceps|selfie|writing"
    r"|nail-polish|crossed|raised|wav|clapping|folded|open-hands|handshake|call-me|love-you|horns|index|cat-with"
    r"|crying-cat|grinning-cat|pouting-cat|smiling-cat|kissing-cat|weary-cat|ninja|superhero|supervillain|mage"
    r"|fairy|vampire|merpeople|elf|genie|zombie|troll|ogre|goblin|santa|claus|prince|judge|pilot|student"
    r"|teacher|technologist|scientist|artist$|astronaut|farmer|^cook$|mechanic|worker|firefighter|police-officer"
    r"|detective|^guard$|singer|pregnant|breast|speaking-head|silhouette|^no-|prohibited|zzz|hundred|copyright"
    r"|registered|multiply|minus|plus|divide|infinity|^om$|yin-yang|wheel-of-dharma|star-of-david|menorah"
    r"|orthodox-cross|trident|fleur|star-and-crescent|dotted|eight-|curly-loop|transgender|rainbow-flag"
    r"|club-suit|spade-suit|level-slider|control-knobs|information|children-crossing|mens-room|womens-room"
    r"|restroom|water-closet|potable-water|passport|customs|baggage-claim|left-luggage|litter|radioactive"
    r"|biohazard|red-triangle|warning|muted|speaker-|vibration|wireless|antenna-bars|mobile-phone-off)"
)


def main(src: str) -> None:
    data = json.loads(Path(src).read_text(encoding="utf-8"))
    keep = {name: icon for name, icon in data["icons"].items() if not _SKIP.search(name)}
    out = {"prefix": data["prefix"], "width": data.get("width", 32), "height": data.get("height", 32), "icons": keep}
    target = Path(__file__).with_name("fluent-emoji-flat.json.gz")
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(out, fh, separators=(",", ":"), sort_keys=True)
    print(f"{len(keep)} icons -> {target} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
