"""English words for the places, people, animals and things of a Spanish, French or
German brief.

The script of a non-English brief keeps the brief's own words ("el muelle", "la
linterna", "pescador viejo"); stages that only know English words (the previz
picks its settings, icons and faces from English vocabularies) read them
through `english_gloss`. Entries are stems: a word matches when it starts with
one and adds at most three letters ("linternas", "Leuchtturms").
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["GLOSS", "english_gloss"]

_ES = """
muelle:pier puerto:harbour faro:lighthouse playa:beach mar:sea barc:boat barco:ship isla:island bosque:forest
montaña:mountain pueblo:village aldea:village plaza:square iglesia:church escuela:school aula:classroom
estación:station tren:train casa:house cocina:kitchen calle:street callejón:alley desierto:desert río:river
cueva:cave hospital:hospital azotea:rooftop tejado:rooftop jardín:garden almacén:warehouse lago:lake
granja:farm taller:workshop biblioteca:library cementerio:cemetery granero:barn establo:stable campo:field
tienda:shop mercado:market panadería:bakery oficina:office teatro:theatre circo:circus túnel:tunnel
metro:subway castillo:castle luna:moon espacio:space nieve:snow hielo:ice parque:park zoológico:zoo
pescador:fisherman marinero:sailor abuela:grandmother abuelo:grandfather niña:girl niño:boy nieta:granddaughter
nieto:grandson anciana:old woman anciano:old man viej:old jove:young mujer:woman hombre:man madre:mother
padre:father hija:daughter hijo:son hermana:sister hermano:brother bombera:firefighter bombero:firefighter
maestra:teacher maestro:teacher médica:doctor médico:doctor enfermera:nurse astronauta:astronaut
panadera:baker panadero:baker cocinera:cook cocinero:cook farera:lighthouse keeper farero:lighthouse keeper
perr:dog gat:cat caball:horse zorr:fox oso:bear lob:wolf pájar:bird cabra:goat burr:donkey vaca:cow
linterna:lantern botella:bottle carta:letter llave:key mapa:map violín:violin guitarra:guitar reloj:clock
libro:book anillo:ring vela:candle remo:oar maleta:suitcase bicicleta:bicycle teléfono:telephone flor:flower
paraguas:umbrella cometa:kite piano:piano caja:box pan:bread
roj:red azul:blue verde:green amarill:yellow negr:black blanc:white gris:grey
"""
_FR = """
quai:pier port:harbour phare:lighthouse plage:beach mer:sea bateau:boat barque:boat navire:ship île:island
forêt:forest montagne:mountain village:village place:square église:church école:school classe:classroom
gare:station train:train maison:house cuisine:kitchen rue:street ruelle:alley désert:desert rivière:river
grotte:cave hôpital:hospital toit:rooftop jardin:garden entrepôt:warehouse lac:lake ferme:farm atelier:workshop
bibliothèque:library cimetière:cemetery grange:barn champ:field boutique:shop magasin:shop marché:market
boulangerie:bakery bureau:office théâtre:theatre cirque:circus tunnel:tunnel métro:subway château:castle
lune:moon espace:space neige:snow glace:ice parc:park zoo:zoo lisière:forest
pêcheur:fisherman marin:sailor grand-mère:grandmother grand-père:grandfather fille:girl garçon:boy
vieil:old vieill:old vieux:old jeune:young femme:woman homme:man mère:mother père:father sœur:sister frère:brother
pompier:firefighter pompière:firefighter institutrice:teacher instituteur:teacher médecin:doctor
infirmière:nurse astronaute:astronaut boulang:baker cuisini:cook gardien:keeper villageois:villagers
enfant:children chien:dog chat:cat cheval:horse renard:fox ours:bear loup:wolf oiseau:bird chèvre:goat
chouette:owl âne:donkey vache:cow
lanterne:lantern bouteille:bottle lettre:letter clé:key clef:key carte:map violon:violin guitare:guitar
horloge:clock livre:book bague:ring bougie:candle feu:fire valise:suitcase vélo:bicycle téléphone:telephone
fleur:flower parapluie:umbrella cerf-volant:kite piano:piano boîte:box pain:bread
roug:red bleu:blue vert:green jaune:yellow noir:black blanc:white gris:grey
"""
_DE = """
steg:pier hafen:harbour leuchtturm:lighthouse strand:beach meer:sea see:lake boot:boat schiff:ship insel:island
wald:forest berg:mountain dorf:village platz:square kirche:church schule:school klassenzimmer:classroom
bahnhof:station zug:train haus:house küche:kitchen straße:street gasse:alley wüste:desert fluss:river
höhle:cave krankenhaus:hospital dach:rooftop garten:garden lagerhalle:warehouse hof:farm bauernhof:farm
werkstatt:workshop bibliothek:library friedhof:cemetery scheune:barn stall:stable feld:field laden:shop
markt:market bäckerei:bakery büro:office theater:theatre zirkus:circus tunnel:tunnel schloss:castle burg:castle
mond:moon weltraum:space schnee:snow eis:ice park:park zoo:zoo
fischer:fisherman matrose:sailor großmutter:grandmother oma:grandmother großvater:grandfather opa:grandfather
mädchen:girl junge:boy alt:old jung:young frau:woman mann:man mutter:mother vater:father tochter:daughter
sohn:son schwester:sister bruder:brother feuerwehr:firefighter lehrer:teacher ärztin:doctor arzt:doctor
krankenschwester:nurse astronaut:astronaut bäcker:baker koch:cook köchin:cook wärter:keeper
hund:dog katze:cat pferd:horse fuchs:fox bär:bear wolf:wolf vogel:bird ziege:goat eule:owl esel:donkey kuh:cow
laterne:lantern flasche:bottle brief:letter schlüssel:key karte:map geige:violin gitarre:guitar uhr:clock
buch:book ring:ring kerze:candle feuer:fire koffer:suitcase fahrrad:bicycle telefon:telephone blume:flower
regenschirm:umbrella drachen:kite klavier:piano kiste:box brot:bread
rot:red blau:blue grün:green gelb:yellow schwarz:black weiß:white grau:grey
"""


def _table(text: str) -> dict[str, str]:
    return {k: v for k, _, v in (pair.partition(":") for pair in text.split()) if v}


GLOSS: dict[str, dict[str, str]] = {"es": _table(_ES), "fr": _table(_FR), "de": _table(_DE)}
_INFLECTIONS = frozenset({"", "s", "es", "a", "o", "as", "os", "e", "en", "er", "n"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=4096)
def _word_gloss(word: str, language: str) -> str | None:
    best: tuple[int, str] | None = None
    for stem, english in GLOSS[language].items():
        # a short stem takes an inflection only: "mar" is "mares", not "marca" or "market"
        ending = word[len(stem):]
        fits = ending in _INFLECTIONS if len(stem) <= 3 else len(ending) <= (2 if len(stem) == 4 else 3)
        if word.startswith(stem) and fits and (best is None or len(stem) > best[0]):
            best = (len(stem), english)
    return best[1] if best else None


def english_gloss(text: str, language: str) -> str:
    """The English words for the words of `text` (in `language`: es, fr or de) that
    have one, in order, each once ("el muelle, la noche, linterna" -> "pier
    lantern"). Any other language glosses to nothing."""
    if language not in GLOSS:
        return ""
    out: list[str] = []
    for w in _WORD.findall(text.casefold()):
        g = _word_gloss(w, language) if len(w) >= 3 else None
        if g and g not in out and g != w:
            out.append(g)
    return " ".join(out)
