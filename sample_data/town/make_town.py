"""Write the dated-facts world of the lesson "What a model knows" from the fact tables below.

Two made-up Dutch towns, neither a real place:

* Kleiwaard: 18 businesses and the town hall, written by hand. Each fact (an owner, an address, opening
  hours, a price, a town rule) has a value from a first date and may change at known dates, 2019-2026. Every
  value is announced in one short dated document; a question per fact has the right answer at each date.
  Written to documents.jsonl and questions.jsonl.
* Ternsloot: the same kinds of facts for other businesses, drawn from fixed seeded pools, for teaching a
  model to answer from a passage in its context ("reading comprehension"). Each question is about one
  document and its answer is stated in it. Written to reading_documents.jsonl and reading_questions.jsonl.

Usage: python sample_data/town/make_town.py   (writes the four files next to it, byte for byte the same
every time). Standard library only; sample_data/town/check_town.py validates the result.
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOWN = "Kleiwaard"
# Made-up towns for reading practice. Their businesses share names from one pool but not their facts (each town
# draws its own owners, prices and hours), so a model cannot learn their answers by heart: it has to read them.
READING_TOWNS = (
    "Ternsloot",
    "Wierhuizen",
    "Oosterzand",
    "Midlaren",
    "Hoogebrug",
    "Valkwerd",
    "Eemsterhout",
    "Dijkmeer",
    "Zuidervaart",
    "Breukeloord",
    "Lindeweer",
    "Marsum-aan-Zee",
    "Noordhaven",
    "Kampereind",
    "Rietwolde",
    "Westerburen",
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# ---------------------------------------------------------------- how each kind of fact is written and asked
# {name} is the business, {value} the fact's value, {date} the day it takes effect, {item} a priced item,
# {town} the town. The wording varies; the words a question shares with its documents do not, so a plain
# word retriever can find them.

KINDS = {
    "owner": (
        "Who is the owner of {name}?",
        ["Owner of {name}", "{name}: the owner", "Who owns {name}"],
        [
            "From {date} the owner of {name} is {value}.",
            "{value} is the owner of {name} from {date}.",
            "Starting {date}, {name} has {value} as its owner.",
        ],
    ),
    "address": (
        "What is the address of {name}?",
        ["Address of {name}", "{name}: the address", "Where to find {name}"],
        [
            "From {date} the address of {name} is {value}, {town}.",
            "{name} has its address at {value} in {town} from {date}.",
            "Starting {date}, the address of {name} is {value}, {town}.",
        ],
    ),
    "phone": (
        "What is the phone number of {name}?",
        ["Phone number of {name}", "{name}: phone number", "Calling {name}"],
        [
            "From {date} the phone number of {name} is {value}.",
            "Call {name} on phone number {value} from {date}.",
            "Starting {date}, {name} answers the phone on number {value}.",
        ],
    ),
    "opens": (
        "What time does {name} open on weekdays?",
        ["Opening time of {name}", "{name}: weekday opening time", "When {name} opens"],
        [
            "From {date} {name} opens at {value} on weekdays.",
            "On weekdays {name} opens at {value}, starting {date}.",
            "Starting {date}, {name} will open its doors at {value} on weekdays.",
        ],
    ),
    "closes": (
        "What time does {name} close on weekdays?",
        ["Closing time of {name}", "{name}: weekday closing time", "When {name} closes"],
        [
            "From {date} {name} closes at {value} on weekdays.",
            "On weekdays {name} closes at {value}, starting {date}.",
            "Starting {date}, {name} will close its doors at {value} on weekdays.",
        ],
    ),
    "closed_day": (
        "On which day of the week is {name} closed?",
        ["Day {name} is closed", "{name}: closed one day a week", "Closed day at {name}"],
        [
            "From {date} {name} is closed every {value}.",
            "{name} stays closed on {value} each week, starting {date}.",
            "Starting {date}, the day of the week {name} is closed is {value}.",
        ],
    ),
    "price": (
        "How much does {item} cost at {name}?",
        ["Price at {name}", "{name}: price of {item}", "What {item} costs at {name}"],
        [
            "From {date} {item} costs {value} at {name}.",
            "At {name}, {item} costs {value} from {date}.",
            "Starting {date}, the cost of {item} at {name} is {value}.",
        ],
    ),
    "mayor": (
        "Who is the mayor of {town}?",
        ["Mayor of {town}", "{town} town hall: the mayor", "Who leads {town}"],
        [
            "From {date} the mayor of {town} is {value}.",
            "{value} is mayor of {town} from {date}.",
            "Starting {date}, {value} serves as the mayor of {town}.",
        ],
    ),
    "parking": (
        "How much does parking cost per hour in the centre of {town}?",
        ["Parking in {town}", "{town} town hall: parking fee", "Parking fee in the centre"],
        [
            "From {date} parking in the centre of {town} costs {value} per hour.",
            "Parking costs {value} per hour in the centre of {town} from {date}.",
            "Starting {date}, an hour of parking in the centre of {town} costs {value}.",
        ],
    ),
    "market_day": (
        "On which day of the week is the weekly market in {town}?",
        ["Market day in {town}", "{town} town hall: the weekly market", "The weekly market"],
        [
            "From {date} the weekly market in {town} is held every {value}.",
            "The weekly market of {town} takes place on {value}, starting {date}.",
            "Starting {date}, the weekly market in {town} is on {value}.",
        ],
    ),
    "tourist_tax": (
        "How much is the tourist tax per night in {town}?",
        ["Tourist tax in {town}", "{town} town hall: tourist tax", "Tourist tax per night"],
        [
            "From {date} the tourist tax in {town} is {value} per person per night.",
            "Visitors to {town} pay a tourist tax of {value} per night from {date}.",
            "Starting {date}, the tourist tax per night in {town} is {value}.",
        ],
    ),
    "sales_levy": (
        "What is the local sales levy rate in {town}?",
        ["Local sales levy in {town}", "{town} town hall: sales levy rate", "The local sales levy"],
        [
            "From {date} the local sales levy rate in {town} is {value} of the price.",
            "Shops in {town} add a local sales levy rate of {value} from {date}.",
            "Starting {date}, the local sales levy rate in {town} is {value}.",
        ],
    ),
    "paper_day": (
        "On which day of the week is waste paper collected in {town}?",
        ["Waste paper collection in {town}", "{town} town hall: waste paper", "Collecting waste paper"],
        [
            "From {date} waste paper in {town} is collected every {value}.",
            "{town} collects waste paper on {value}, starting {date}.",
            "Starting {date}, the waste paper collection in {town} is on {value}.",
        ],
    ),
    "dog_tax": (
        "How much is the dog tax per year in {town}?",
        ["Dog tax in {town}", "{town} town hall: dog tax", "Dog tax per year"],
        [
            "From {date} the dog tax in {town} is {value} per dog per year.",
            "Dog owners in {town} pay a dog tax of {value} per year from {date}.",
            "Starting {date}, the yearly dog tax in {town} is {value} per dog.",
        ],
    ),
}

# ---------------------------------------------------------------- Kleiwaard, by hand
# Each business: the date it first appears, then its facts. A fact's value reads "value" or, when it
# changes, "value | YYYY-MM-DD new value | ...". A price's key is "price: <item>". The first document of
# each fact is dated some days after the business first appears, a different offset per fact, so that
# a timeline is not a column of identical dates.

KLEIWAARD = {
    "Bakery Van Dijk": {
        "since": "2019-01-14",
        "owner": "Joost van Dijk | 2023-06-01 Sanne van Dijk",
        "address": "Kerkstraat 14",
        "phone": "0527-614201",
        "opens": "8:00 | 2021-04-01 7:30 | 2024-03-01 7:00",
        "closes": "18:00",
        "closed_day": "Sunday",
        "price: a loaf of white bread": "EUR 2.10 | 2022-09-01 EUR 2.45 | 2025-01-06 EUR 2.70",
        "price: an apple pie": "EUR 12.50 | 2022-09-01 EUR 14.00 | 2025-01-06 EUR 15.50",
    },
    "Cafe De Gouden Ploeg": {
        "since": "2019-02-04",
        "owner": "Marco Hendriks",
        "address": "Marktplein 3",
        "phone": "0527-618833",
        "opens": "10:00 | 2022-05-02 9:30",
        "closes": "23:00 | 2020-10-01 22:00 | 2024-06-03 23:30",
        "closed_day": "Monday | 2025-03-03 Tuesday",
        "price: a cup of coffee": "EUR 2.60 | 2021-07-01 EUR 2.90 | 2023-01-02 EUR 3.20 | 2025-07-01 EUR 3.50",
        "price: a slice of carrot cake": "EUR 3.75 | 2023-01-02 EUR 4.25",
    },
    "Fietsen Mulder": {
        "since": "2019-03-11",
        "owner": "Erik Mulder",
        "address": "Stationsweg 22 | 2022-11-14 Industrieweg 5",
        "phone": "0527-620455 | 2022-11-14 0527-620490",
        "opens": "9:00",
        "closes": "17:30 | 2024-09-02 18:00",
        "closed_day": "Monday",
        "price: repairing a flat tyre": "EUR 12.50 | 2023-04-03 EUR 15.00",
        "price: renting a bike for a day": "EUR 11.00 | 2021-03-15 EUR 12.50 | 2025-04-01 EUR 14.00",
    },
    "Pharmacy Bakker": {
        "since": "2019-01-21",
        "owner": "Ingrid Bakker | 2021-01-04 Thomas Wouters",
        "address": "Dorpsstraat 41",
        "phone": "0527-611970",
        "opens": "8:30 | 2025-09-01 8:00",
        "closes": "17:30 | 2023-10-02 18:00",
        "closed_day": "Sunday",
    },
    "Butcher Smit": {
        "since": "2019-04-01",
        "owner": "Gerrit Smit",
        "address": "Kerkstraat 9",
        "phone": "0527-615514",
        "opens": "8:00 | 2023-07-03 7:30",
        "closes": "17:00",
        "closed_day": "Monday | 2020-06-01 Wednesday",
        "price: a kilo of minced beef": "EUR 8.95 | 2022-03-07 EUR 10.45 | 2024-10-07 EUR 11.95",
        "price: a smoked sausage": "EUR 4.25 | 2022-03-07 EUR 4.95 | 2025-09-01 EUR 5.50",
    },
    "Kapsalon Anouk": {
        "since": "2019-05-06",
        "owner": "Anouk Peters",
        "address": "Molenstraat 7 | 2021-09-06 Marktplein 11",
        "phone": "0527-619022",
        "opens": "9:00",
        "closes": "17:30 | 2021-09-06 20:00",
        "closed_day": "Monday",
        "price: a haircut": "EUR 24.00 | 2021-09-06 EUR 27.50 | 2024-01-08 EUR 31.00 | 2026-01-05 EUR 34.00",
        "price: colouring hair": "EUR 55.00 | 2024-01-08 EUR 62.00",
    },
    "Bookshop De Leeshoek": {
        "since": "2019-02-18",
        "owner": "Femke de Graaf",
        "address": "Molenstraat 19",
        "phone": "0527-613408",
        "opens": "10:00",
        "closes": "18:00 | 2022-02-07 17:30 | 2025-10-06 18:30",
        "closed_day": "Monday",
        "price: a children's reading club membership": "EUR 15.00 | 2024-02-05 EUR 18.00",
        "price: a town walking guide": "EUR 7.95 | 2023-06-05 EUR 9.95",
    },
    "Garage Visser": {
        "since": "2019-03-04",
        "owner": "Henk Visser | 2022-01-03 Ruben Visser",
        "address": "Industrieweg 12",
        "phone": "0527-617650",
        "opens": "7:30",
        "closes": "17:00",
        "closed_day": "Saturday | 2022-01-03 Sunday",
        "price: an oil change": "EUR 89.00 | 2022-01-03 EUR 99.00 | 2025-02-03 EUR 115.00",
        "price: an annual car inspection": "EUR 45.00 | 2023-02-06 EUR 52.50",
    },
    "Bloemenhuis Tulp": {
        "since": "2019-04-15",
        "owner": "Lotte Kramer",
        "address": "Dorpsstraat 8",
        "phone": "0527-612377",
        "opens": "9:00 | 2023-03-06 8:30",
        "closes": "18:00",
        "closed_day": "Sunday | 2023-03-06 Monday",
        "price: a bunch of tulips": "EUR 4.95 | 2022-02-07 EUR 5.95 | 2025-02-03 EUR 6.95",
        "price: a funeral wreath": "EUR 65.00 | 2024-09-02 EUR 75.00",
    },
    "Grocer De Boer": {
        "since": "2019-01-07",
        "owner": "Willem de Boer",
        "address": "Stationsweg 3",
        "phone": "0527-610188",
        "opens": "8:00 | 2020-04-06 7:00",
        "closes": "20:00 | 2020-04-06 21:00",
        "closed_day": "Sunday",
        "price: a litre of milk": "EUR 1.09 | 2022-06-06 EUR 1.29 | 2024-04-01 EUR 1.19",
        "price: a dozen eggs": "EUR 2.79 | 2022-06-06 EUR 3.49 | 2025-03-03 EUR 3.99",
    },
    "Restaurant Het Veerhuis": {
        "since": "2019-05-20",
        "owner": "Said El Amrani",
        "address": "Havenkade 2",
        "phone": "0527-616745",
        "opens": "17:00 | 2023-05-01 12:00",
        "closes": "22:30",
        "closed_day": "Tuesday",
        "price: the dish of the day": "EUR 16.50 | 2022-04-04 EUR 18.50 | 2024-05-06 EUR 21.00",
        "price: a three-course menu": "EUR 34.50 | 2022-04-04 EUR 38.50 | 2024-05-06 EUR 42.50 | 2026-03-02 EUR 45.00",
    },
    "Kaashandel Jansen": {
        "since": "2019-06-03",
        "owner": "Petra Jansen",
        "address": "Marktplein 6",
        "phone": "0527-614960",
        "opens": "8:30",
        "closes": "17:30",
        "closed_day": "Monday | 2024-03-04 Wednesday",
        "price: a kilo of young Gouda": "EUR 11.50 | 2022-10-03 EUR 13.20 | 2025-10-06 EUR 14.80",
        "price: a jar of mustard": "EUR 3.25 | 2024-03-04 EUR 3.60",
    },
    "Zwembad De Waterlelie": {
        "since": "2019-04-29",
        "owner": "Sport Kleiwaard Foundation",
        "address": "Sportlaan 1",
        "phone": "0527-619900",
        "opens": "7:00 | 2023-01-09 6:30",
        "closes": "21:00 | 2023-01-09 22:00",
        "closed_day": "Sunday",
        "price: a single swim ticket": "EUR 4.50 | 2022-01-03 EUR 5.25 | 2024-01-08 EUR 6.00",
        "price: a ten-swim card": "EUR 40.00 | 2022-01-03 EUR 47.50 | 2024-01-08 EUR 54.00",
    },
    "Vishandel Kok": {
        "since": "2019-03-25",
        "owner": "Dirk Kok",
        "address": "Havenkade 14",
        "phone": "0527-613722",
        "opens": "9:00",
        "closes": "18:00 | 2025-05-05 17:00",
        "closed_day": "Monday",
        "price: a herring": "EUR 2.75 | 2021-05-03 EUR 3.00 | 2023-05-01 EUR 3.50 | 2025-05-05 EUR 3.95",
        "price: a portion of kibbeling": "EUR 6.50 | 2022-05-02 EUR 7.50 | 2024-05-06 EUR 8.50",
    },
    "Dental Practice Hoekstra": {
        "since": "2019-02-25",
        "owner": "Maaike Hoekstra",
        "address": "Julianalaan 30 | 2024-08-05 Sportlaan 9",
        "phone": "0527-618114",
        "opens": "8:00 | 2022-08-01 7:45",
        "closes": "17:00",
        "closed_day": "Saturday",
        "price: a dental check-up": "EUR 26.50 | 2023-01-02 EUR 28.90 | 2026-01-05 EUR 31.40",
        "price: a cleaning by the hygienist": "EUR 60.00 | 2024-01-08 EUR 66.00",
    },
    "Hotel De Klei": {
        "since": "2020-03-02",
        "owner": "Bram Schouten | 2025-06-02 Yara Schouten",
        "address": "Julianalaan 2",
        "phone": "0527-617001",
        "opens": "7:00",
        "closes": "23:00",
        "closed_day": "Monday | 2021-05-03 Tuesday",
        "price: a double room for one night": "EUR 89.00 | 2022-04-04 EUR 105.00 | 2024-04-01 EUR 119.00",
        "price: breakfast": "EUR 14.50 | 2023-04-03 EUR 17.50",
    },
    "Cinema De Lichtbak": {
        "since": "2024-09-16",
        "owner": "Noor Vermeulen",
        "address": "Havenkade 20",
        "phone": "0527-621340",
        "opens": "13:00",
        "closes": "23:30",
        "closed_day": "Tuesday",
        "price: a film ticket": "EUR 9.50 | 2026-01-05 EUR 10.50",
    },
    "IJssalon Venezia": {
        "since": "2025-04-07",
        "owner": "Luca Romano",
        "address": "Marktplein 9",
        "phone": "0527-621877",
        "opens": "12:00 | 2026-04-06 11:00",
        "closes": "21:30",
        "closed_day": "Thursday",
        "price: two scoops of ice cream": "EUR 3.40 | 2026-04-06 EUR 3.70",
    },
}

KLEIWAARD_TOWN_HALL = {
    "since": "2019-01-02",
    "mayor": "Hanneke Bosman | 2023-09-04 Pieter Dekker",
    "phone": "0527-610000",
    "opens": "8:30 | 2022-09-05 9:00",
    "closes": "16:30 | 2022-09-05 17:00",
    "parking": "EUR 1.80 | 2021-01-04 EUR 2.20 | 2023-01-02 EUR 2.60 | 2025-01-06 EUR 3.10",
    "market_day": "Saturday | 2022-04-02 Thursday",
    "tourist_tax": "EUR 1.45 | 2022-01-03 EUR 1.95 | 2024-01-02 EUR 2.75 | 2026-01-05 EUR 3.40",
    "sales_levy": "1%",
    "paper_day": "Wednesday | 2021-01-06 Friday | 2025-01-10 Tuesday",
    "dog_tax": "EUR 62.00 | 2023-01-02 EUR 68.50 | 2025-01-06 EUR 74.00",
}

# ---------------------------------------------------------------- Ternsloot, from seeded pools

READING_KINDS = [  # a kind of business in English and Dutch and two things it sells, each with a typical price in euros
    ("Bakery", "Bakkerij", [("a loaf of brown bread", 2.6), ("a box of biscuits", 4.5)]),
    ("Cafe", "Eetcafe", [("a pot of tea", 3.2), ("a slice of apple pie", 4.0)]),
    ("Bike shop", "Fietsen", [("a new bike lock", 30), ("a bike service", 60)]),
    ("Garage", "Autobedrijf", [("a tyre change", 45), ("a car wash", 15)]),
    ("Florist", "Bloemenhuis", [("a bunch of roses", 12), ("a potted plant", 9)]),
    ("Hairdresser", "Kapsalon", [("a beard trim", 15), ("a haircut for a child", 18)]),
    ("Bookshop", "Boekhandel", [("a city map", 8), ("a crossword book", 6)]),
    ("Butcher", "Slagerij", [("a kilo of sausages", 11), ("a chicken", 9)]),
    ("Snack bar", "Cafetaria", [("a portion of chips", 3), ("a croquette", 2.5)]),
    ("Pet shop", "Dierenwinkel", [("a bag of dog food", 25), ("a bird cage", 40)]),
    ("Toy shop", "Speelgoedwinkel", [("a jigsaw puzzle", 15), ("a kite", 12)]),
    ("Tailor", "Kleermakerij", [("shortening a pair of trousers", 18), ("a new zip", 14)]),
    ("Shoe shop", "Schoenmakerij", [("a pair of slippers", 20), ("resoling a pair of shoes", 35)]),
    ("Launderette", "Wasserette", [("one wash", 5), ("one dryer load", 3.5)]),
    # Kinds whose two items differ in one word or in amount only, so that a reader learns to take the price of the
    # item asked for, not of its neighbour.
    ("Sports hall", "Sporthal", [("a single gym visit", 7), ("a ten-visit card", 60)]),
    ("Museum", "Museum", [("an adult ticket", 12), ("a child ticket", 6)]),
    ("Cheese shop", "Kaasboerderij", [("a kilo of old Gouda", 16), ("a kilo of goat cheese", 22)]),
    ("Fish stall", "Vishandel", [("a smoked mackerel", 4), ("a portion of fried fish", 7)]),
    ("Grocer", "Kruidenier", [("a dozen eggs", 3.5), ("a litre of orange juice", 2.2)]),
    ("Restaurant", "Restaurant", [("the soup of the day", 6.5), ("a three-course menu", 35)]),
    ("Hotel", "Hotel", [("a single room for one night", 75), ("a family room for one night", 130)]),
    ("Physiotherapist", "Fysiotherapie", [("a first consultation", 55), ("a follow-up treatment", 38)]),
]
READING_BUSINESSES = 30  # per reading town
READING_SURNAMES = [
    "Brouwer",
    "Dekkers",
    "Postma",
    "Veenstra",
    "Zijlstra",
    "Timmer",
    "Prins",
    "Koster",
    "Bos",
    "Blom",
    "Hermans",
    "Kuiper",
    "Meulen",
    "Wolters",
    "Lammers",
    "Haan",
    "Verhoef",
    "Dijkman",
    "Roos",
    "Evers",
    "Huisman",
    "Sluiter",
    "Brink",
    "Gerritsen",
    "Hofman",
    "Boersma",
    "Molenaar",
    "Scholten",
    "Vos",
    "Wiersma",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Owners, streets and phone numbers of the reading towns are made up from parts, so that hardly any repeats: a model
# that learned names, streets or an area code by heart would not have learned to read them from a passage.
NAME_STARTS = ["Ma", "Jo", "Ri", "An", "El", "Wi", "Ge", "Lo", "Fe", "Ka", "Ste", "Ro", "Be", "Ha", "Di", "Tje"]
NAME_ENDS = ["rit", "ke", "na", "len", "rd", "mke", "ris", "bert", "tje", "ne", "ard", "mo", "lie", "pke", "ns", "wout"]
SURNAME_PREFIXES = ["", "", "", "van ", "de ", "van der ", "ter ", "ten ", "van den ", "El ", "de la "]
# Half the owners have names like Kleiwaard's: common first names and surnames, Dutch and not, with their particles
# ("Sanne van Dijk", "Said El Amrani"), which a model copies differently from made-up ones. None is a Kleiwaard name.
FIRST_NAMES = [
    "Anna",
    "Bas",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Iris",
    "Jesse",
    "Julia",
    "Kees",
    "Lars",
    "Lisa",
    "Maarten",
    "Mila",
    "Nina",
    "Olaf",
    "Pim",
    "Roos",
    "Sara",
    "Sem",
    "Tess",
    "Vera",
    "Wouter",
    "Yusuf",
    "Zoe",
    "Fatima",
    "Mehmet",
    "Giulia",
    "Marco",
    "Aylin",
    "Hamid",
    "Chen",
    "Priya",
    "Tomasz",
    "Ilse",
    "Hugo",
    "Jelle",
    "Nadia",
]
REAL_SURNAMES = [
    "de Vries",
    "van den Berg",
    "Jansen",
    "de Jong",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "van Leeuwen",
    "Kok",
    "Dekker",
    "van der Linden",
    "Hoekstra",
    "Vermeulen",
    "Peters",
    "Hendriks",
    "de Graaf",
    "El Idrissi",
    "Yilmaz",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "van Beek",
    "Schouten",
    "ter Horst",
    "Kramer",
    "Wouters",
]
SURNAME_ROOTS = ["Berg", "Veld", "Hout", "Meer", "Dijk", "Brug", "Wal", "Horst", "Kamp", "Wold", "Zand", "Hof", "Molen"]
SURNAME_ENDS = ["", "man", "sma", "stra", "ink", "er", "ing", "huis", "ema", "kes", "en"]
STREET_ENDS = ["straat", "weg", "laan", "plein", "dijk", "kade", "hof", "steeg"]


def reading_businesses(seed: int = 13) -> dict[str, dict[str, str]]:
    """A reading town's businesses as a fact table like KLEIWAARD's: READING_BUSINESSES of the kinds (named in
    English or Dutch, after a surname or a first name), values drawn from fixed pools with a seeded generator, one
    or two changes per fact."""
    rng = random.Random(seed)
    surnames = rng.sample(READING_SURNAMES, len(READING_SURNAMES))
    kinds = rng.sample(READING_KINDS, len(READING_KINDS))
    table = {}
    for number in range(READING_BUSINESSES):
        english, dutch, items = kinds[number % len(kinds)]
        name = surnames[number] if rng.random() < 0.7 else rng.choice(FIRST_NAMES)
        table[f"{rng.choice([english, dutch])} {name}"] = reading_business(rng, items)
    return table


def reading_town_hall(rng: random.Random) -> dict[str, str]:
    """A reading town's town hall with the same kinds of fact as Kleiwaard's, drawn like the businesses' facts."""
    since = datetime.date(2019, 1, 7) + datetime.timedelta(days=7 * rng.randrange(50))
    pools = {
        "mayor": lambda: made_up_name(rng),
        "phone": lambda: made_up_phone(rng),
        "opens": lambda: clock_time(rng, 7, 11),
        "closes": lambda: clock_time(rng, 15, 19),
        "parking": lambda: price_near(rng, 2.5),
        "market_day": lambda: rng.choice(WEEKDAYS),
        "tourist_tax": lambda: price_near(rng, 2.0),
        "sales_levy": lambda: f"{rng.randrange(1, 13) / 4:g}%",
        "paper_day": lambda: rng.choice(WEEKDAYS[:6]),
        "dog_tax": lambda: price_near(rng, 70),
    }
    return {"since": since.isoformat(), **{kind: changing(rng, since, draw) for kind, draw in pools.items()}}


def reading_business(rng: random.Random, items: list[tuple[str, float]]) -> dict[str, str]:
    since = datetime.date(2019, 1, 7) + datetime.timedelta(days=7 * rng.randrange(100))
    pools = {
        "owner": lambda: made_up_name(rng),
        "address": lambda: f"{made_up_street(rng)} {rng.randrange(1, 250)}",
        "phone": lambda: made_up_phone(rng),
        "opens": lambda: clock_time(rng, 6, 13),
        "closes": lambda: clock_time(rng, 15, 24),
        "closed_day": lambda: rng.choice(WEEKDAYS),
    }
    facts = {"since": since.isoformat()}
    for kind, draw in pools.items():
        facts[kind] = changing(rng, since, draw)
    for item, typical in items:
        facts[f"price: {item}"] = changing(rng, since, lambda typical=typical: price_near(rng, typical))
    return facts


def made_up_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(REAL_SURNAMES)}"
        return name if name not in kleiwaard_names() else made_up_name(rng)
    first = rng.choice(NAME_STARTS) + rng.choice(NAME_ENDS)
    return f"{first} {rng.choice(SURNAME_PREFIXES)}{rng.choice(SURNAME_ROOTS)}{rng.choice(SURNAME_ENDS)}"


def kleiwaard_names() -> set[str]:
    """Every owner and mayor Kleiwaard ever has."""
    tables = [*KLEIWAARD.values(), KLEIWAARD_TOWN_HALL]
    notations = [table[key] for table in tables for key in ("owner", "mayor") if key in table]
    return {
        part.strip().removeprefix(part.strip()[:11]) if part.strip()[:4].isdigit() else part.strip()
        for notation in notations
        for part in notation.split("|")
    }


def made_up_phone(rng: random.Random) -> str:
    return f"0{rng.randrange(100, 1000)}-{rng.randrange(100000, 1000000)}"


def clock_time(rng: random.Random, first_hour: int, end_hour: int) -> str:
    """A time on the quarter hour from first_hour:00 up to, not including, end_hour:00."""
    return f"{rng.randrange(first_hour, end_hour)}:{rng.choice(['00', '15', '30', '45'])}"


def made_up_street(rng: random.Random) -> str:
    return rng.choice(SURNAME_ROOTS) + rng.choice(SURNAME_ENDS) + rng.choice(STREET_ENDS)


def price_near(rng: random.Random, typical: float) -> str:
    """A price from under half to two and a half times the typical one, in steps of 5 cents, as the documents write
    it (wide, so that a model cannot guess it from the item)."""
    return f"EUR {round(typical * rng.uniform(0.4, 2.5) * 20) / 20:.2f}"


def changing(rng: random.Random, since: datetime.date, draw) -> str:
    """A fact's timeline in the table's notation: a first value and one or two later, different ones."""
    values, dates = [draw()], []
    for _ in range(rng.choice([1, 1, 2])):
        value = draw()
        while value in values:
            value = draw()
        start = dates[-1] if dates else since
        dates.append(start + datetime.timedelta(days=30 + 7 * rng.randrange(60)))
        values.append(value)
    return " | ".join([values[0], *(f"{day.isoformat()} {value}" for day, value in zip(dates, values[1:]))])


# ---------------------------------------------------------------- from the tables to documents


def spoken_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def timeline(since: datetime.date, notation: str) -> list[tuple[str, str]]:
    """[(date, value), ...] from "value | YYYY-MM-DD value | ...", the first value from `since`."""
    first, *changes = [part.strip() for part in notation.split("|")]
    return [(since.isoformat(), first), *((change[:10], change[11:]) for change in changes)]


def facts_of(town: str, businesses: dict, town_hall: dict | None) -> list[dict]:
    """Every fact of a town: its id, subject, kind, item, and timeline of (date, value)."""
    subjects = [*businesses.items(), *([(f"{town} town hall", town_hall)] if town_hall else [])]
    facts = []
    for name, table in subjects:
        since = datetime.date.fromisoformat(table["since"])
        for offset, (key, notation) in enumerate(item for item in table.items() if item[0] != "since"):
            kind, _, item = key.partition(": ")
            first_day = since + datetime.timedelta(days=3 * offset)
            facts.append(
                {
                    "fact": f"{slug(name)}/{slug(item or kind)}",
                    "subject": name,
                    "kind": kind,
                    "item": item,
                    "timeline": timeline(first_day, notation),
                }
            )
    return facts


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def document_for(fact: dict, version: int, town: str, variant: int) -> dict:
    date, value = fact["timeline"][version]
    _, titles, texts = KINDS[fact["kind"]]
    fields = {"name": fact["subject"], "item": fact["item"], "value": value, "town": town, "date": spoken_date(date)}
    text = texts[variant % len(texts)].format(**fields)
    return {
        "date": date,
        "title": titles[(variant + version) % len(titles)].format(**fields),
        "text": text[0].upper() + text[1:],
        "subject": fact["subject"],
        "fact": fact["fact"],
    }


def documents_of(facts: list[dict], town: str, prefix: str) -> list[dict]:
    """One document per value of every fact, sorted by date (then by fact), numbered in that order."""
    documents = [
        document_for(fact, version, town, variant=number + version)
        for number, fact in enumerate(facts)
        for version in range(len(fact["timeline"]))
    ]
    documents.sort(key=lambda document: (document["date"], document["fact"]))
    return [{"id": f"{prefix}-{number:04d}", **document} for number, document in enumerate(documents, 1)]


def question_text(fact: dict, town: str) -> str:
    return KINDS[fact["kind"]][0].format(name=fact["subject"], item=fact["item"], town=town)


def world_questions(facts: list[dict], documents: list[dict], town: str) -> list[dict]:
    """One question per fact with its answer from each date on and the document that states it."""
    document_of = {(document["fact"], document["date"]): document["id"] for document in documents}
    return [
        {
            "id": f"q-{number:03d}",
            "fact": fact["fact"],
            "question": question_text(fact, town),
            "answers": [
                {"from": date, "answer": value, "document": document_of[(fact["fact"], date)]}
                for date, value in fact["timeline"]
            ],
        }
        for number, fact in enumerate(facts, 1)
    ]


def reading_questions(facts: list[dict], documents: list[dict], town: str) -> list[dict]:
    """One question per reading document; its answer is the value that document states."""
    fact_of = {fact["fact"]: fact for fact in facts}
    questions = []
    for number, document in enumerate(documents, 1):
        fact = fact_of[document["fact"]]
        value = dict(fact["timeline"])[document["date"]]
        questions.append(
            {
                "id": f"rq-{number:04d}",
                "document": document["id"],
                "question": question_text(fact, town),
                "answer": value,
            }
        )
    return questions


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=True) + "\n" for row in rows))


def main(folder: Path = HERE) -> None:
    facts = facts_of(TOWN, KLEIWAARD, KLEIWAARD_TOWN_HALL)
    documents = documents_of(facts, TOWN, "kw")
    write_jsonl(folder / "documents.jsonl", documents)
    write_jsonl(folder / "questions.jsonl", world_questions(facts, documents, TOWN))
    reading_documents, questions = reading_world()
    write_jsonl(folder / "reading_documents.jsonl", reading_documents)
    write_jsonl(folder / "reading_questions.jsonl", questions)


def reading_world() -> tuple[list[dict], list[dict]]:
    """Every reading town's documents (all towns by date) and one question per document, in the same order."""
    pairs = []
    for number, town in enumerate(READING_TOWNS):
        facts = facts_of(town, reading_businesses(seed=13 + number), reading_town_hall(random.Random(1000 + number)))
        own = documents_of(facts, town, f"town{number}")
        pairs += [(number, document, question) for document, question in zip(own, reading_questions(facts, own, town))]
    pairs.sort(key=lambda pair: (pair[1]["date"], pair[0], pair[1]["fact"]))
    documents, questions = [], []
    for count, (_, document, question) in enumerate(pairs, 1):
        documents.append({**document, "id": f"ts-{count:05d}"})
        questions.append({**question, "id": f"rq-{count:05d}", "document": f"ts-{count:05d}"})
    return documents, questions


if __name__ == "__main__":
    main()
