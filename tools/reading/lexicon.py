"""Word lists the readers classify nouns and verbs with.

They are lemma sets (singular, lower case). English lists are long because the
English reader sees everything; the other languages get the words a short
film brief uses most, matched by prefix so that inflected forms ("маяке",
"Leuchtturms") still hit their stem.
"""

from __future__ import annotations

__all__ = [
    "PERSON_NOUNS", "GROUP_NOUNS", "ANIMAL_NOUNS", "PLACE_NOUNS", "OBJECT_NOUNS", "EFFECTS", "WEATHER",
    "TIME_WORDS", "SPEECH_VERBS", "MENTAL_VERBS", "LOCATIVE_PREPS", "MOTION_TO_PLACE_VERBS", "TITLES",
    "FOREIGN", "INDOOR_PLACES", "FROM_VANTAGE_VERBS", "PERSON_SUFFIXES", "APPEARANCE_NOUNS", "APPEARANCE_VERBS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# People named by what they do or who they are to someone.
PERSON_NOUNS = _words("""
man woman boy girl child kid baby toddler teenager teen girlfriend boyfriend wife husband widow widower bride groom
mother father mom mum dad parent son daughter brother sister sibling twin grandmother grandfather grandma grandpa
granny grandson granddaughter aunt uncle cousin nephew niece stepmother stepfather fiance fiancee
friend neighbor neighbour stranger visitor guest host traveler traveller tourist pilgrim wanderer hiker climber
firefighter fireman policeman policewoman officer detective inspector sheriff deputy cop agent spy soldier
general captain sergeant lieutenant sailor fisherman fisherwoman pirate knight king queen prince princess
emperor empress witch wizard sorcerer ghost monk nun priest bishop pastor shaman healer doctor nurse surgeon
medic paramedic patient astronaut cosmonaut pilot copilot driver conductor engineer mechanic scientist researcher
inventor professor teacher student pupil schoolgirl schoolboy principal librarian archivist historian writer author
poet journalist reporter photographer painter artist sculptor musician violinist pianist cellist guitarist drummer
singer dancer ballerina actor actress director clown magician juggler acrobat chef cook baker butcher waiter
waitress barista bartender shopkeeper merchant vendor seller florist tailor seamstress carpenter blacksmith
farmer shepherd gardener beekeeper ranger lumberjack miner builder worker janitor cleaner guard watchman
keeper lighthousekeeper caretaker butler maid servant nanny courier messenger postman postwoman mailman
thief burglar robber smuggler outlaw prisoner convict hacker programmer coder boxer fighter wrestler runner
athlete swimmer diver surfer skater cyclist player coach referee champion rookie veteran refugee orphan
survivor explorer adventurer archaeologist cartographer navigator diplomat mayor president minister senator
lawyer judge critic supervisor guide trader merchant onlooker bandleader cleaner cellist volcanologist
clerk accountant banker boss manager employee intern secretary receptionist cashier tenant landlord
landlady widow hermit beggar vagrant drifter cowboy rider jockey hunter trapper poacher scout nomad villager
islander local mechanic technician operator dispatcher lifeguard diver monkey_keeper zookeeper veterinarian vet
baker's apprentice novice elder chief warrior mercenary assassin samurai ninja robot android cyborg alien
creature monster dragon mermaid giant dwarf elf fairy vampire zombie android pharmacist dentist midwife
translator interpreter conductor violinmaker watchmaker clockmaker locksmith glassblower potter weaver
pensioner retiree volunteer activist protester candidate contestant bride stowaway passenger commuter
best_man newcomer owner heir heiress witness suspect victim hostage kidnapper rescuer lover ex colleague partner roommate
classmate teammate bandmate crewmate opponent rival enemy ally mentor apprentice student pupil customer client
""")

# Plural nouns that stand for a group acting together.
GROUP_NOUNS = _words("""
passengers guests villagers children kids soldiers sailors crew crowd audience townspeople family friends
students pupils neighbors neighbours fans tourists workers miners fishermen firefighters nurses doctors
monks nuns pirates thieves refugees survivors prisoners players team band choir orchestra protesters
strangers parents twins hikers climbers campers scouts soldiers troops villagers residents tenants customers
diners dancers musicians mourners wedding_guests islanders locals elders warriors knights hunters
onlookers couple traders merchants crew commuters paramedics
classmates teammates rescuers volunteers teenagers siblings cousins grandchildren colleagues journalists
""")

ANIMAL_NOUNS = _words("""
dog puppy cat kitten horse pony foal donkey mule cow calf bull ox sheep lamb goat pig piglet chicken hen
rooster duck duckling goose swan pigeon dove crow raven owl eagle hawk falcon parrot sparrow robin
seagull gull penguin pelican flamingo heron stork bird chick fox wolf bear cub polar_bear deer fawn elk moose
reindeer rabbit bunny hare squirrel mouse rat hamster hedgehog badger otter beaver raccoon bat monkey ape
gorilla chimpanzee lion lioness tiger leopard cheetah jaguar panther elephant giraffe zebra rhino hippo camel
kangaroo koala panda whale dolphin shark seal walrus octopus squid turtle tortoise frog toad snake lizard
crocodile alligator fish goldfish salmon trout crab lobster butterfly moth bee wasp ant spider beetle
firefly dragonfly snail worm husky retriever terrier spaniel poodle beagle labrador shepherd_dog stray mutt
pup seal_pup bison buffalo yak llama alpaca ostrich peacock hummingbird orca manatee jellyfish mole vole ferret lynx
""")

# Places a scene can happen in. Regions and cities are found by the parser as
# named entities; these are the common nouns.
PLACE_NOUNS = _words("""
lighthouse cafe café coffeehouse kitchen street alley avenue boulevard lane road highway motorway path trail
forest wood woods jungle rainforest beach shore coast coastline sea ocean bay lagoon harbor harbour port dock pier
wharf marina station platform terminal train subway metro tunnel underground tram bus coach plane aircraft cockpit
airport runway hangar house home cottage cabin hut shack mansion villa palace castle fortress fort tower
keep dungeon room bedroom bathroom livingroom hall hallway corridor staircase stairs stairwell attic
basement cellar garage shed barn stable farm farmhouse ranch field meadow pasture orchard vineyard garden
greenhouse yard backyard courtyard patio balcony terrace porch rooftop roof chimney city town village suburb
neighborhood neighbourhood market marketplace bazaar square plaza fountain park playground zoo circus
fairground carnival funfair stadium arena ring gym gymnasium pool court track desert dune oasis canyon valley
gorge cliff mountain hill peak summit slope ridge glacier volcano crater cave cavern mine quarry river stream
creek brook waterfall lake pond swamp marsh bog island islet reef moon planet asteroid spaceship spacecraft
shuttle station orbit space school classroom schoolyard university campus library museum gallery theater
theatre cinema stage backstage studio workshop factory warehouse mill foundry laboratory lab office
bank shop store supermarket mall boutique bakery butchery pharmacy diner restaurant bar pub tavern inn hotel
motel hostel hospital clinic ward church chapel cathedral temple mosque synagogue shrine monastery convent
cemetery graveyard tomb crypt prison jail cell courtroom court embassy parliament headquarters base camp
campsite tent bunker trench battlefield ship boat ferry yacht sailboat canoe kayak raft submarine deck hold
cabin bridge car taxi truck van caravan trailer wagon carriage elevator lift steps skyscraper apartment flat
building block ruins ruin wasteland tundra steppe prairie savanna ice icefield iceberg floe arctic antarctic
north pole laundromat salon barbershop parlor parlour lobby foyer ballroom dancehall nightclub club casino
arcade bowling alley stadium racetrack border checkpoint customs crossroads intersection junction bridge
underpass overpass sewer canal quay embankment promenade boardwalk esplanade lookout observatory planetarium
aquarium zoo farmstead homestead igloo yurt treehouse nest den burrow hospital morgue studio set backlot
pantry cellar vault chamber throne_hall hall auditorium gymnasium locker changing_room dressing_room
greenroom newsroom control_room engine_room kitchenette canteen cafeteria dining_room diningroom
surface wilderness mudflat mudflats flats schoolhouse boathouse boatyard shipyard dockyard lander module ravine gully well party concert festival galley hatch quay outback countryside coastline waterfront seafront riverbank bank
""")

# The subset that is inside four walls; everything else is shot outdoors.
INDOOR_PLACES = _words("""
cafe café coffeehouse kitchen station platform terminal train subway metro tunnel tram bus coach plane aircraft
cockpit hangar house home cottage cabin hut shack mansion villa palace castle dungeon room bedroom bathroom hall
hallway corridor staircase stairwell attic basement cellar garage shed barn stable farmhouse greenhouse school
classroom library museum gallery theater theatre cinema stage backstage studio workshop factory warehouse plant
mill foundry laboratory lab office bank shop store supermarket mall boutique bakery pharmacy diner restaurant
bar pub tavern inn hotel motel hostel hospital clinic ward church chapel cathedral temple mosque synagogue
monastery convent crypt prison jail cell courtroom embassy parliament headquarters bunker spaceship spacecraft
shuttle submarine car taxi truck van caravan trailer elevator lift apartment flat laundromat salon barbershop
parlor parlour lobby foyer ballroom dancehall nightclub club casino arcade gym gymnasium auditorium locker
pantry vault chamber newsroom canteen cafeteria kitchenette igloo tent cave cavern mine
""")

# Things a story turns on, and so things a camera should see.
OBJECT_NOUNS = _words("""
oven flour sack loaf bucket umbrella leash lantern blanket kite sledge
bottle message letter note postcard envelope package parcel box tin chest trunk suitcase bag backpack
briefcase case violin guitar piano cello trumpet drum flute accordion harmonica radio phone telephone
smartphone camera photograph photo picture portrait painting canvas sketch drawing map compass key lock
door window clock watch ring necklace locket bracelet crown sword dagger knife gun pistol rifle bow arrow
shield helmet mask lantern lamp candle torch flashlight match matches book diary notebook journal newspaper
ticket passport coin money wallet purse chip memory_chip disk drive computer laptop screen television tv
robot drone kite balloon ball bicycle bike skateboard umbrella hat scarf coat glove shoe boot dress
cake bread pie soup tea coffee wine cup mug plate bowl vase flower flowers rose bouquet seed seeds plant tree
egg shell stone rock crystal gem jewel diamond pearl feather bell whistle rope ladder net hook fishing_rod
oar sail anchor tarp tarpaulin cider chocolate globe register stool thermos stretcher nets net
train boat car bus ship ferry canoe truck van taxi sled chess chessboard skateboard surfboard flag banner sign poster recipe medal trophy cup prize gift present toy doll teddy puppet
music_box typewriter record vinyl tape cassette microphone speaker headphones violin_case tin_box
tape_recorder telescope microscope map_case flare beacon signal antenna transmitter walkie_talkie
satellite rocket engine motor generator battery fuse switch light lights cable wire bomb detonator
blanket pillow bed chair table desk bench mirror photo_album album scroll manuscript will contract
keycard badge uniform costume wig shovel spade axe hammer saw wrench bucket basket jar lid pot pan
kettle stove oven fridge sandwich apple orange lemon pumpkin snowman snowball sled sledge skis
surfboard paddle canoe helmet fossil bone skull coffin grave statue sculpture fountain_pen pen pencil brush
""")

# What a person wears or looks like: "in a yellow raincoat", "with a grey beard" describe
# them (and reach the renderer), where "in the kitchen" or "with her dog" do not.
APPEARANCE_NOUNS = _words("""
raincoat coat overcoat jacket parka anorak cloak cape sweater jumper cardigan hoodie shirt t-shirt blouse vest waistcoat
dress gown skirt trousers pants jeans shorts overalls uniform suit tuxedo robe kimono sari apron smock tunic poncho
scarf shawl hat cap beret helmet hood bonnet turban veil headscarf hijab crown wig mask glasses spectacles sunglasses
goggles boots boot shoes sneakers sandals slippers gloves mittens tie bowtie necklace earrings bracelet backpack
pyjamas pajamas spacesuit wetsuit leotard costume armour armor rags stripes polka
hair beard moustache mustache braid braids pigtails ponytail curls bun freckles eyes scar tattoo tattoos limp cane
crutch crutches wheelchair eyepatch wrinkles
""")

# Participles that describe someone by what they wear or carry ("wearing a blue turban").
APPEARANCE_VERBS = _words("wear dress carry clutch hold")

# Unknown nouns with these endings that act as subjects are people ("the volcanologist").
PERSON_SUFFIXES = ("ologist", "ist", "ician", "eer", "smith", "maker", "keeper", "woman", "man")

# Physical effects: a lemma (or phrase) to the effect's name.
EFFECTS: dict[str, str] = {
    "fire": "fire", "flame": "fire", "blaze": "fire", "burn": "fire", "burning": "fire", "wildfire": "fire",
    "smoke": "smoke", "flood": "flood", "flooded": "flood", "flooding": "flood", "blizzard": "blizzard",
    "snowstorm": "blizzard", "power cut": "power cut", "blackout": "power cut", "power outage": "power cut",
    "lights go out": "power cut", "lights went out": "power cut", "cuts the power": "power cut",
    "power cuts out": "power cut", "cuts out the power": "power cut", "power fails": "power cut", "the power goes": "power cut", "earthquake": "earthquake", "tremor": "earthquake",
    "explosion": "explosion", "explode": "explosion", "avalanche": "avalanche", "landslide": "landslide",
    "sandstorm": "sandstorm", "eruption": "eruption", "erupt": "eruption", "lightning": "lightning",
    "tsunami": "flood", "collapse": "collapse", "spark": "sparks", "fireworks": "fireworks", "firework": "fireworks",
    "alarm": "alarm", "siren": "siren",
}

WEATHER: dict[str, str] = {
    "rain": "rain", "raining": "rain", "rainy": "rain", "drizzle": "rain", "downpour": "rain",
    "storm": "storm", "stormy": "storm", "thunderstorm": "storm", "thunder": "storm", "hurricane": "storm",
    "typhoon": "storm", "gale": "storm", "snow": "snow", "snowy": "snow", "snowing": "snow", "snowfall": "snow",
    "blizzard": "snow", "snowstorm": "snow", "fog": "fog", "foggy": "fog", "mist": "fog", "misty": "fog",
    "wind": "wind", "windy": "wind", "heatwave": "heat", "heat": "heat", "hail": "hail", "frost": "frost",
    "icy": "frost", "sandstorm": "wind",
}

# Words for the time of day, mapped onto memory.models.TimeOfDay.
TIME_WORDS: dict[str, str] = {
    "dawn": "dawn", "daybreak": "dawn", "sunrise": "dawn", "first light": "dawn", "morning": "morning",
    "breakfast": "morning", "noon": "day", "midday": "day", "lunchtime": "day", "afternoon": "afternoon",
    "sunset": "golden_hour", "golden hour": "golden_hour", "dusk": "dusk", "evening": "dusk", "twilight": "dusk",
    "nightfall": "dusk", "night": "night", "midnight": "night", "tonight": "night", "overnight": "night",
    "nighttime": "night", "moonlight": "night", "moonlit": "night", "starlight": "night", "day": "day",
    "daylight": "day", "daytime": "day",
}

# Verbs that imply lines spoken on screen, with the kind of exchange.
SPEECH_VERBS: dict[str, str] = {
    "call": "call", "radio": "call", "phone": "call", "shout": "call", "yell": "call", "cry": "call", "scream": "call", "hail": "call",
    "argue": "argue", "quarrel": "argue", "fight": "argue", "bicker": "argue", "debate": "argue",
    "confess": "confess", "admit": "confess", "reveal": "confess", "apologize": "confess", "apologise": "confess",
    "tell": "tell", "say": "tell", "explain": "tell", "announce": "tell", "warn": "tell", "promise": "tell",
    "recount": "tell", "narrate": "tell", "ask": "ask", "beg": "ask", "plead": "ask", "propose": "ask",
    "invite": "ask", "question": "ask", "interrogate": "ask", "interview": "ask", "whisper": "tell",
    "answer": "answer", "reply": "answer", "thank": "tell", "greet": "call", "sing": "sing", "pray": "tell",
    "talk": "tell", "chat": "tell", "speak": "tell", "negotiate": "argue", "insist": "argue", "joke": "tell",
    "teach": "tell", "comfort": "tell", "reassure": "tell", "convince": "argue", "persuade": "argue",
}

# Verbs whose object is thought of, not there ("remembers her brother").
MENTAL_VERBS = _words("remember miss mourn imagine dream think recall forget long grieve wonder picture wish")

LOCATIVE_PREPS = _words(
    "in at on inside into onto across through aboard between below near by under over along outside behind around toward towards "
    "within beneath below above beside past upon throughout amid among to"
)

# A place that is the object of these verbs is where the story moves to.
MOTION_TO_PLACE_VERBS = _words("enter reach climb cross explore search visit board approach storm invade tour find follow "
                               "keep run own manage tend guard open close haunt patrol sweep clean ride rid drive take catch "
                               "flood hit destroy burn bury")

# "photographs them from the bridge": from where the action is seen or done, the actor is there.
FROM_VANTAGE_VERBS = _words("photograph watch see look call wave shoot film observe spot steal escape jump fall fire signal")

TITLES = _words("mr mrs ms miss dr doctor captain professor sir lady lord aunt uncle grandma grandpa officer "
                "detective inspector sister brother father mother king queen prince princess saint sergeant")


# Lists for the languages read without a parser. Each entry is a stem: a word
# matches when it starts with it, so that plural and case endings still hit.
FOREIGN: dict[str, dict[str, dict[str, str]]] = {
    "es": {
        "person": {"bombera": "la bombera", "bombero": "el bombero", "abuela": "la abuela", "abuelo": "el abuelo",
                   "niña": "la niña", "niño": "el niño", "pescador": "el pescador", "marinero": "el marinero",
                   "maestra": "la maestra", "maestro": "el maestro", "médica": "la médica", "médico": "el médico",
                   "panadera": "la panadera", "panadero": "el panadero", "madre": "la madre", "padre": "el padre",
                   "hija": "la hija", "hijo": "el hijo", "hermana": "la hermana", "hermano": "el hermano",
                   "astronauta": "la astronauta", "anciana": "la anciana", "anciano": "el anciano",
                   "guardia": "el guardia", "músico": "el músico", "viajero": "el viajero", "cocinera": "la cocinera",
                   "cocinero": "el cocinero", "farero": "el farero", "detective": "el detective", "mujer": "la mujer",
                   "hombre": "el hombre", "vecina": "la vecina", "vecino": "el vecino", "pastor": "el pastor"},
        "group": {"pasajeros": "los pasajeros", "invitados": "los invitados", "vecinos": "los vecinos",
                  "aldeanos": "los aldeanos", "niños": "los niños", "soldados": "los soldados",
                  "pescadores": "los pescadores", "músicos": "los músicos"},
        "animal": {"perr": "el perro", "gat": "el gato", "caball": "el caballo", "zorr": "el zorro",
                   "oso": "el oso", "lob": "el lobo", "pájar": "el pájaro", "cabra": "la cabra", "burr": "el burro"},
        "place": {"faro": "el faro", "panadería": "la panadería", "cocina": "la cocina", "mercado": "el mercado",
                  "playa": "la playa", "puerto": "el puerto", "bosque": "el bosque", "montaña": "la montaña",
                  "pueblo": "el pueblo", "plaza": "la plaza", "iglesia": "la iglesia", "escuela": "la escuela",
                  "estación": "la estación", "tren": "el tren", "barco": "el barco", "isla": "la isla",
                  "casa": "la casa", "calle": "la calle", "desierto": "el desierto", "río": "el río",
                  "cueva": "la cueva", "hospital": "el hospital", "azotea": "la azotea", "jardín": "el jardín",
                  "almacén": "el almacén", "mar": "el mar", "lago": "el lago", "granja": "la granja",
                  "taller": "el taller", "biblioteca": "la biblioteca", "cementerio": "el cementerio",
                  "muelle": "el muelle", "granero": "el granero", "establo": "el establo", "campo": "el campo", "tienda": "la tienda", "bar": "el bar"},
        "object": {"botella": "la botella", "carta": "la carta", "radio": "la radio", "llave": "la llave",
                   "mapa": "el mapa", "violín": "el violín", "guitarra": "la guitarra", "foto": "la foto",
                   "caja": "la caja", "reloj": "el reloj", "libro": "el libro", "anillo": "el anillo",
                   "linterna": "la linterna", "vela": "la vela", "pan": "el pan", "barca": "la barca",
                   "cuaderno": "el cuaderno", "maleta": "la maleta", "bicicleta": "la bicicleta",
                   "teléfono": "el teléfono", "flor": "la flor", "paraguas": "el paraguas"},
        "effect": {"incendio": "fire", "fuego": "fire", "llamas": "fire", "humo": "smoke", "inundación": "flood",
                   "apagón": "power cut", "ventisca": "blizzard", "terremoto": "earthquake", "explosión": "explosion"},
        "weather": {"tormenta": "storm", "lluvia": "rain", "llueve": "rain", "niebla": "fog", "nieve": "snow",
                    "nieva": "snow", "viento": "wind"},
        "time": {"amanecer": "dawn", "alba": "dawn", "madrugada": "dawn", "mañana": "morning", "mediodía": "day",
                 "tarde": "afternoon", "atardecer": "golden_hour", "anochecer": "dusk", "noche": "night",
                 "medianoche": "night"},
        "speech": {"llama": "call", "grita": "call", "discute": "argue", "discuten": "argue", "confiesa": "confess",
                   "cuenta": "tell", "dice": "tell", "pregunta": "ask", "pide": "ask", "responde": "answer",
                   "susurra": "tell", "canta": "sing", "explica": "tell", "promete": "tell"},
    },
    "fr": {
        "person": {"pompière": "la pompière", "pompier": "le pompier", "grand-mère": "la grand-mère",
                   "grand-père": "le grand-père", "fille": "la fille", "garçon": "le garçon", "pêcheur": "le pêcheur",
                   "marin": "le marin", "institutrice": "l'institutrice", "médecin": "le médecin",
                   "boulangère": "la boulangère", "boulanger": "le boulanger", "mère": "la mère", "père": "le père",
                   "sœur": "la sœur", "frère": "le frère", "astronaute": "l'astronaute", "gardien": "le gardien",
                   "gardienne": "la gardienne", "musicien": "le musicien", "voyageur": "le voyageur",
                   "voyageuse": "la voyageuse", "cuisinier": "le cuisinier", "femme": "la femme", "homme": "l'homme",
                   "vieil homme": "le vieil homme", "vieille femme": "la vieille femme", "enfant": "l'enfant",
                   "voisin": "le voisin", "voisine": "la voisine", "berger": "le berger", "facteur": "le facteur"},
        "group": {"passagers": "les passagers", "invités": "les invités", "villageois": "les villageois",
                  "enfants": "les enfants", "soldats": "les soldats", "pêcheurs": "les pêcheurs",
                  "voisins": "les voisins", "musiciens": "les musiciens"},
        "animal": {"chien": "le chien", "chat": "le chat", "cheval": "le cheval", "renard": "le renard",
                   "ours": "l'ours", "loup": "le loup", "oiseau": "l'oiseau", "chèvre": "la chèvre",
                   "chouette": "la chouette", "âne": "l'âne"},
        "place": {"phare": "le phare", "boulangerie": "la boulangerie", "cuisine": "la cuisine",
                  "marché": "le marché", "plage": "la plage", "port": "le port", "forêt": "la forêt",
                  "montagne": "la montagne", "village": "le village", "place": "la place", "église": "l'église",
                  "école": "l'école", "gare": "la gare", "train": "le train", "bateau": "le bateau", "île": "l'île",
                  "maison": "la maison", "rue": "la rue", "désert": "le désert", "rivière": "la rivière",
                  "grotte": "la grotte", "hôpital": "l'hôpital", "toit": "le toit", "jardin": "le jardin",
                  "entrepôt": "l'entrepôt", "mer": "la mer", "lac": "le lac", "ferme": "la ferme",
                  "atelier": "l'atelier", "bibliothèque": "la bibliothèque", "cimetière": "le cimetière",
                  "quai": "le quai", "champ": "le champ", "café": "le café", "grenier": "le grenier", "grange": "la grange", "étable": "l'étable",
                  "cave": "la cave", "pont": "le pont", "métro": "le métro"},
        "object": {"bouteille": "la bouteille", "lettre": "la lettre", "radio": "la radio", "clé": "la clé",
                   "carte": "la carte", "violon": "le violon", "guitare": "la guitare", "photo": "la photo",
                   "boîte": "la boîte", "montre": "la montre", "horloge": "l'horloge", "livre": "le livre",
                   "bague": "la bague", "lanterne": "la lanterne", "bougie": "la bougie", "pain": "le pain",
                   "carnet": "le carnet", "valise": "la valise", "vélo": "le vélo", "téléphone": "le téléphone",
                   "fleur": "la fleur", "parapluie": "le parapluie", "barque": "la barque", "piano": "le piano"},
        "effect": {"incendie": "fire", "feu": "fire", "flammes": "fire", "fumée": "smoke", "inondation": "flood",
                   "panne de courant": "power cut", "coupure de courant": "power cut", "blizzard": "blizzard",
                   "tremblement de terre": "earthquake", "explosion": "explosion"},
        "weather": {"tempête": "storm", "orage": "storm", "pluie": "rain", "pleut": "rain", "brouillard": "fog",
                    "neige": "snow", "vent": "wind"},
        "time": {"aube": "dawn", "aurore": "dawn", "matin": "morning", "midi": "day", "après-midi": "afternoon",
                 "coucher du soleil": "golden_hour", "crépuscule": "dusk", "soir": "dusk", "nuit": "night",
                 "minuit": "night"},
        "speech": {"appelle": "call", "crie": "call", "se disputent": "argue", "dispute": "argue",
                   "avoue": "confess", "raconte": "tell", "dit": "tell", "demande": "ask", "répond": "answer",
                   "murmure": "tell", "chante": "sing", "explique": "tell", "promet": "tell", "supplie": "ask"},
    },
    "de": {
        "person": {"feuerwehrfrau": "die Feuerwehrfrau", "feuerwehrmann": "der Feuerwehrmann",
                   "großmutter": "die Großmutter", "großvater": "der Großvater", "oma": "die Oma", "opa": "der Opa",
                   "mädchen": "das Mädchen", "junge": "der Junge", "fischer": "der Fischer", "matrose": "der Matrose",
                   "lehrerin": "die Lehrerin", "lehrer": "der Lehrer", "ärztin": "die Ärztin", "arzt": "der Arzt",
                   "bäckerin": "die Bäckerin", "bäcker": "der Bäcker", "mutter": "die Mutter", "vater": "der Vater",
                   "tochter": "die Tochter", "sohn": "der Sohn", "schwester": "die Schwester",
                   "bruder": "der Bruder", "astronautin": "die Astronautin", "astronaut": "der Astronaut",
                   "wärterin": "die Wärterin", "wärter": "der Wärter", "musiker": "der Musiker",
                   "reisende": "die Reisende", "köchin": "die Köchin", "koch": "der Koch", "frau": "die Frau",
                   "mann": "der Mann", "kind": "das Kind", "nachbarin": "die Nachbarin", "nachbar": "der Nachbar",
                   "hirte": "der Hirte", "förster": "der Förster", "bergsteigerin": "die Bergsteigerin"},
        "group": {"passagiere": "die Passagiere", "gäste": "die Gäste", "dorfbewohner": "die Dorfbewohner",
                  "kinder": "die Kinder", "soldaten": "die Soldaten", "fischer": "die Fischer",
                  "nachbarn": "die Nachbarn", "musiker": "die Musiker"},
        "animal": {"hund": "der Hund", "katze": "die Katze", "pferd": "das Pferd", "fuchs": "der Fuchs",
                   "bär": "der Bär", "wolf": "der Wolf", "vogel": "der Vogel", "ziege": "die Ziege",
                   "eule": "die Eule", "esel": "der Esel"},
        "place": {"leuchtturm": "der Leuchtturm", "bäckerei": "die Bäckerei", "küche": "die Küche",
                  "markt": "der Markt", "strand": "der Strand", "hafen": "der Hafen", "wald": "der Wald",
                  "berg": "der Berg", "dorf": "das Dorf", "platz": "der Platz", "kirche": "die Kirche",
                  "schule": "die Schule", "bahnhof": "der Bahnhof", "zug": "der Zug", "schiff": "das Schiff",
                  "boot": "das Boot", "insel": "die Insel", "haus": "das Haus", "straße": "die Straße",
                  "wüste": "die Wüste", "fluss": "der Fluss", "höhle": "die Höhle", "krankenhaus": "das Krankenhaus",
                  "dach": "das Dach", "garten": "der Garten", "lagerhalle": "die Lagerhalle", "meer": "das Meer",
                  "see": "der See", "hof": "der Hof", "werkstatt": "die Werkstatt", "bibliothek": "die Bibliothek",
                  "friedhof": "der Friedhof", "steg": "der Steg", "feld": "das Feld", "hütte": "die Hütte", "scheune": "die Scheune", "stall": "der Stall", "wiese": "die Wiese",
                  "keller": "der Keller", "dachboden": "der Dachboden", "brücke": "die Brücke", "gipfel": "der Gipfel",
                  "wohnung": "die Wohnung", "café": "das Café"},
        "object": {"flasche": "die Flasche", "brief": "der Brief", "radio": "das Radio", "schlüssel": "der Schlüssel",
                   "karte": "die Karte", "geige": "die Geige", "gitarre": "die Gitarre", "foto": "das Foto",
                   "kiste": "die Kiste", "dose": "die Dose", "uhr": "die Uhr", "buch": "das Buch", "ring": "der Ring",
                   "laterne": "die Laterne", "kerze": "die Kerze", "brot": "das Brot", "tagebuch": "das Tagebuch",
                   "koffer": "der Koffer", "fahrrad": "das Fahrrad", "telefon": "das Telefon", "blume": "die Blume",
                   "regenschirm": "der Regenschirm", "seil": "das Seil", "klavier": "das Klavier"},
        "effect": {"feuer": "fire", "brand": "fire", "flammen": "fire", "rauch": "smoke", "flut": "flood",
                   "hochwasser": "flood", "überschwemmung": "flood", "stromausfall": "power cut",
                   "schneesturm": "blizzard", "erdbeben": "earthquake", "explosion": "explosion",
                   "lawine": "avalanche"},
        "weather": {"sturm": "storm", "gewitter": "storm", "regen": "rain", "regnet": "rain", "nebel": "fog",
                    "schnee": "snow", "schneit": "snow", "wind": "wind"},
        "time": {"morgengrauen": "dawn", "morgendämmerung": "dawn", "sonnenaufgang": "dawn", "morgen": "morning",
                 "mittag": "day", "nachmittag": "afternoon", "sonnenuntergang": "golden_hour",
                 "abenddämmerung": "dusk", "abend": "dusk", "nacht": "night", "nachts": "night",
                 "mitternacht": "night"},
        "speech": {"ruft": "call", "schreit": "call", "streiten": "argue", "streitet": "argue", "gesteht": "confess",
                   "erzählt": "tell", "sagt": "tell", "fragt": "ask", "bittet": "ask", "antwortet": "answer",
                   "flüstert": "tell", "singt": "sing", "erklärt": "tell", "verspricht": "tell"},
    },
    "ru": {
        "person": {"пожарн": "пожарный", "бабушк": "бабушка", "дедушк": "дедушка", "девочк": "девочка",
                   "мальчик": "мальчик", "рыбак": "рыбак", "моряк": "моряк", "учительниц": "учительница",
                   "учител": "учитель", "врач": "врач", "пекар": "пекарь", "мать": "мать", "мам": "мама",
                   "отец": "отец", "отц": "отец", "дочь": "дочь", "дочер": "дочь", "сын": "сын",
                   "сестр": "сестра", "брат": "брат", "космонавт": "космонавт", "смотрител": "смотритель",
                   "музыкант": "музыкант", "путешественни": "путешественник", "повар": "повар",
                   "женщин": "женщина", "мужчин": "мужчина", "старик": "старик", "старуш": "старушка",
                   "сосед": "сосед", "пастух": "пастух", "почтальон": "почтальон"},
        "group": {"пассажир": "пассажиры", "гост": "гости", "жители": "жители", "дети": "дети", "детей": "дети",
                  "солдат": "солдаты", "рыбаки": "рыбаки"},
        "animal": {"собак": "собака", "пёс": "пёс", "пес": "пёс", "кошк": "кошка", "кот": "кот", "лошад": "лошадь",
                   "лис": "лиса", "медвед": "медведь", "волк": "волк", "птиц": "птица", "сова": "сова", "сову": "сова", "коз": "коза"},
        "place": {"маяк": "маяк", "пекарн": "пекарня", "кухн": "кухня", "рын": "рынок", "пляж": "пляж",
                  "порт": "порт", "гаван": "гавань", "лес": "лес", "гора": "гора", "гору": "гора", "горы": "гора", "город": "город", "деревн": "деревня",
                  "площад": "площадь", "церк": "церковь", "школ": "школа", "вокзал": "вокзал", "станци": "станция",
                  "поезд": "поезд", "корабл": "корабль", "лодк": "лодка", "остров": "остров", "дом": "дом",
                  "улиц": "улица", "пустын": "пустыня", "рек": "река", "пещер": "пещера", "больниц": "больница",
                  "крыш": "крыша", "сад": "сад", "склад": "склад", "море": "море", "моря": "море", "морю": "море", "озер": "озеро", "ферм": "ферма",
                  "мастерск": "мастерская", "библиотек": "библиотека", "кладбищ": "кладбище", "причал": "причал",
                  "поле": "поле", "поля": "поле", "кафе": "кафе", "чердак": "чердак", "подвал": "подвал", "мост": "мост",
                  "квартир": "квартира", "тайг": "тайга"},
        "object": {"бутылк": "бутылка", "письм": "письмо", "радио": "радио", "ключ": "ключ", "карт": "карта",
                   "скрипк": "скрипка", "гитар": "гитара", "фотограф": "фотография", "коробк": "коробка",
                   "часы": "часы", "книг": "книга", "кольц": "кольцо", "фонар": "фонарь", "свеч": "свеча",
                   "хлеб": "хлеб", "дневник": "дневник", "чемодан": "чемодан", "велосипед": "велосипед",
                   "телефон": "телефон", "цвет": "цветок", "зонт": "зонт"},
        "effect": {"пожар": "fire", "огон": "fire", "огн": "fire", "пламя": "fire", "дым": "smoke",
                   "наводнени": "flood", "потоп": "flood", "метел": "blizzard", "вьюг": "blizzard",
                   "землетрясени": "earthquake", "взрыв": "explosion"},
        "weather": {"бур": "storm", "гроз": "storm", "шторм": "storm", "дожд": "rain", "туман": "fog",
                    "снег": "snow", "ветер": "wind", "ветр": "wind"},
        "time": {"рассвет": "dawn", "утр": "morning", "полдень": "day", "днём": "day", "днем": "day",
                 "закат": "golden_hour", "сумерк": "dusk", "вечер": "dusk", "ночь": "night", "ночью": "night",
                 "полночь": "night"},
        "speech": {"зовёт": "call", "зовет": "call", "кричит": "call", "спорят": "argue", "спорит": "argue",
                   "признаётся": "confess", "признается": "confess", "рассказывает": "tell", "говорит": "tell",
                   "спрашивает": "ask", "просит": "ask", "отвечает": "answer", "шепчет": "tell", "поёт": "sing",
                   "объясняет": "tell", "обещает": "tell"},
    },
}
