"""Demo data: one believable network to try Sameboat with, and one large network to measure it.

`build_demo` makes "Riverside Mutual Aid" through the same services the app calls, so the demo
obeys every rule a member would meet: asks and offers are posted, answered, paired, accepted,
declined, cancelled and completed, and each completion posts its exchange in the ledger.

`build_large` makes "riverside-large" for the benchmarks: ten thousand members and a million
ledger entries, written with bulk inserts (the services would take hours), computed so that
every invariant `sameboat ledger verify` checks holds.

Both are deterministic (a seeded `random.Random`) and idempotent: each is built in one
transaction, so a network that exists is complete, and a second run leaves it as it is.
"""

# The people, asks and offers below are tables, one entry a line, easier to read unwrapped.
# ruff: noqa: E501

import math
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from sameboat.accounts.models import ContactPreference, User
from sameboat.accounts.services import profile_update
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, PostStatus, Urgency, Visibility
from sameboat.aid.services import (
    PostFields,
    ask_create,
    hours_to_hundredths,
    match_accept,
    match_cancel,
    match_complete,
    match_decline,
    match_feedback,
    match_offer_help,
    match_pair,
    match_request_offer,
    offer_create,
    post_transition,
)
from sameboat.core.models import Language
from sameboat.demo_directory import build_directory, build_follow_up
from sameboat.demo_groups import GroupsBuilder
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.reciprocity import hundredths_to_units
from sameboat.ledger.services import exchange_post, exchange_reverse
from sameboat.networks.models import AreaKind, Category, Member, Network, Role, ServiceArea
from sameboat.networks.services import (
    member_add,
    member_update,
    network_create,
    service_area_create,
)
from sameboat.notifications.services import notifications_muted

# The documented demo login, for every demo account.
DEMO_PASSWORD = "sameboat-demo"  # noqa: S105
DEMO_SLUG = "riverside"
DEMO_SEED = 2024
LARGE_SLUG = "riverside-large"
LARGE_SEED = 4242

Log = Callable[[str], None]


# The clock --------------------------------------------------------------------------------


@contextmanager
def _clock(at: datetime) -> Iterator[None]:
    """Run the services as if it were `at`: every `timezone.now()` inside, the auto_now
    fields included, returns it.

    The demo tells the story of the past three months. Asks, offers and matches could be
    re-dated afterwards, but exchanges and entries cannot (a trigger refuses any UPDATE on
    them), so each step is written at its own moment instead."""
    with mock.patch.object(timezone, "now", new=lambda: at):
        yield


# Who is in the boat -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    name: str
    languages: tuple[str, ...]
    strengths: str
    helps_with: tuple[str, ...]
    role: Role = Role.MEMBER
    accessibility: str = ""


def _member(
    n: int,
    name: str,
    languages: str,
    strengths: str,
    helps_with: str,
    accessibility: str = "",
) -> Person:
    return Person(
        email=f"member{n}@example.org",
        name=name,
        languages=tuple(languages.split()),
        strengths=strengths,
        helps_with=tuple(helps_with.split()),
        accessibility=accessibility,
    )


STAFF = [
    Person(
        "coordinator@example.org",
        "Carmen Ortiz",
        ("es", "en"),
        "Ran the tenants' association for ten years; knows every housing office in town.",
        ("housing", "legal-forms"),
        Role.COORDINATOR,
    ),
    Person(
        "facilitator@example.org",
        "Farah Haddad",
        ("ar", "en", "fr"),
        "Social worker; runs the Thursday peer support group; trained in mediation.",
        ("emotional-support", "recovery"),
        Role.FACILITATOR,
    ),
    Person(
        "admin@example.org",
        "Sam Okafor",
        ("en", "yo"),
        "Keeps the network's website and phone tree running.",
        ("digital", "transport"),
        Role.ADMIN,
    ),
]

MEMBERS = [
    _member(1, "Amina Yusuf", "so en", "Sews and mends clothes; cooks for big gatherings; knows the mosque pantry's hours.", "food-meals household"),
    _member(2, "Mateo García", "es en", "Carpenter with a van and a full toolbox.", "housing-repairs housing-moving transport"),
    _member(3, "Olena Kovalenko", "uk ru en", "Accountant back home; good with budgets and official letters.", "money-budgeting legal-forms language"),
    _member(4, "Nguyen Thi Lan", "vi en", "Runs a nail salon; wonderful with children; cooks phở on Sundays.", "childcare food-meals language-interpreting"),
    _member(5, "Fatima Al-Sayed", "ar en", "Pharmacy assistant; explains prescriptions; drives.", "health language-interpreting transport-rides"),
    _member(6, "Kwame Mensah", "en", "Bus driver; fixes bikes; coaches Saturday football.", "transport childcare"),
    _member(7, "Priya Raman", "ta hi en", "Software tester, patient with phones and laptops.", "digital language"),
    _member(8, "Tomasz Nowak", "pl en", "Retired electrician, handy with anything in a house.", "housing-repairs household"),
    _member(9, "Marisol Reyes", "es en", "Home health aide; knows the way to every clinic by bus.", "health-appointments childcare"),
    _member(10, "Abdi Hassan", "so ar en", "Interpreter at the community centre; drives a minivan.", "language-interpreting transport-rides"),
    _member(11, "J.", "en", "Three years sober; glad to walk with someone to a first meeting.", "recovery emotional-support"),
    _member(12, "Mei Chen", "zh en", "Nurse; bakes; can help with forms in Chinese.", "health food-meals legal-forms"),
    _member(13, "Samira Rahimi", "fa ps en", "Maths teacher; tutors children; speaks Dari and Pashto.", "childcare language"),
    _member(14, "Jean-Baptiste Pierre", "ht fr en", "Chef; cooks for the Friday community dinner.", "food-meals language"),
    _member(15, "Hyun-woo Park", "ko en", "IT support at the library; sets up email and video calls.", "digital-phones digital"),
    _member(16, "Grace Adeyemi", "yo en", "Accountant; free help at tax time; sings in the church choir.", "money legal-forms"),
    _member(17, "Dmitri Volkov", "ru uk en", "Drives for a removals firm; strong, and owns a trolley.", "housing-moving transport"),
    _member(18, "Aisha Bello", "ha en", "Community health worker and a good listener.", "health emotional-support"),
    _member(19, "Luis Fernandes", "pt es en", "Painter and decorator; grows vegetables every summer.", "housing-repairs household food"),
    _member(20, "Teresa Bianchi", "it en", "Retired school secretary who likes the paperwork nobody else does.", "legal-forms money-budgeting"),
    _member(21, "Yonas Tesfaye", "ti am en", "Drives a taxi at night; free in the mornings.", "transport-rides language-interpreting"),
    _member(22, "Hanna Schmidt", "de en", "Librarian; helps with job applications and CVs.", "digital legal-forms"),
    _member(23, "Ravi Patel", "hi en", "Runs the corner shop; drops groceries off on his route.", "food-groceries transport"),
    _member(24, "Leila Karimi", "fa en", "Art therapist; runs a drop-in craft circle on Tuesdays.", "emotional-support childcare"),
    _member(25, "Night Owl", "en", "Awake when others aren't, and happy to talk late.", "emotional-support recovery"),
    _member(26, "Baraka Mwangi", "sw en", "Mechanic; will look at a car, a bike or a wheelchair.", "transport housing-repairs"),
    _member(27, "Rosa Morales", "es", "Grandmother of seven; cooks and minds children.", "childcare food-meals", "Bad knees: ground floor or a lift, please."),
    _member(28, "Ahmad Noorzai", "ps fa en", "Tailor; alters clothes and hems curtains.", "household"),
    _member(29, "Zeynep Yılmaz", "tr ku en", "Pharmacy student, good with medicine schedules.", "health digital"),
    _member(30, "Kofi Asante", "en", "Plumber; fixes leaks and blocked drains.", "housing-repairs"),
    _member(31, "Maria Santos", "tl en", "Cares for elders on night shifts; cooks adobo for the street.", "health-appointments food-meals"),
    _member(32, "Ioana Popescu", "ro it en", "Cleaner who organises and declutters like nobody else.", "household-cleaning housing-moving"),
    _member(33, "Tariq Mahmood", "ur hi en", "Bookkeeper; volunteers at the advice centre on benefits.", "money legal"),
    _member(34, "Chloé Martin", "fr en", "Nursery teacher; offers French conversation.", "childcare language"),
    _member(35, "Ali Rezaei", "fa en", "Engineering student who repairs phones and laptops.", "digital-phones"),
    _member(36, "Ngozi Okeke", "en", "Nurse's aide; knows the food bank volunteers by name.", "food health"),
    _member(37, "Diego Herrera", "es en", "Cycle courier: quick deliveries across town.", "transport food-groceries"),
    _member(38, "Sofia Kowalczyk", "pl en", "Speech therapist; a patient listener.", "emotional-support childcare"),
    _member(39, "Abebe Girma", "am en", "Hosts a coffee ceremony on Sundays; drives.", "transport-rides food"),
    _member(40, "Linh Tran", "vi en", "Student; interprets for the Vietnamese elders; a whizz with smartphones.", "digital-phones language-interpreting"),
    _member(41, "Hassan Omar", "ar so en", "Organises the Eid food parcels at the mosque.", "food-groceries language"),
    _member(42, "Auntie B", "en ht", "Raised five children on a shoestring; budgets like a pro.", "money-budgeting childcare"),
    _member(43, "Pedro Alves", "pt en", "Builder with ladders and a drill.", "housing-repairs housing-moving"),
    _member(44, "Yasmin Haddad", "ar fr en", "Law student; reads contracts and tenancy letters.", "legal housing"),
    _member(45, "Chen Wei", "zh en", "Restaurant cook: big pots, big meals.", "food-meals"),
    _member(46, "Oksana Bondarenko", "uk ru", "Hairdresser who makes people feel good.", "emotional-support household"),
    _member(47, "Emeka Nwosu", "en", "Works nights as a security guard; free and strong by day.", "housing-moving household"),
    _member(48, "Ana Lucía Torres", "es en", "Doula; knows the maternity services well.", "health childcare"),
    _member(49, "Imran Qureshi", "ur en", "Taxi driver; airport and hospital runs.", "transport-rides"),
    _member(50, "Sunita Sharma", "hi en", "Yoga teacher; runs a gentle class for older people.", "health emotional-support"),
    _member(51, "Rahim Uddin", "bn en", "Supermarket manager who knows where the discounts are.", "food-groceries money-budgeting"),
    _member(52, "Elena Rossi", "it en", "Retired nurse: blood pressure checks and medicine reminders.", "health"),
    _member(53, "Mariam Tesfay", "ti ar en", "Hairdresser; interprets Tigrinya.", "language-interpreting household"),
    _member(54, "Sparrow", "ase en", "Deaf; signs ASL; makes jewellery.", "language-interpreting emotional-support", "Deaf: text or email, never a phone call."),
    _member(55, "Joon Kim", "ko en", "Piano teacher; walks dogs.", "childcare household"),
    _member(56, "Nadia Benali", "ar fr", "Seamstress; cooks couscous for a crowd.", "food-meals household"),
    _member(57, "Carlos Mendoza", "es en", "Gardener with a pick-up truck.", "housing-moving transport household"),
    _member(58, "Beatriz Lima", "pt es en", "Social work student, good with benefit forms.", "legal-forms money"),
    _member(59, "Musa Ibrahim", "ha ar en", "Runs a phone repair stall; unlocks and fixes screens.", "digital-phones"),
    _member(60, "Ruth Goldberg", "en de", "Retired teacher who writes letters to the council.", "legal-forms emotional-support language", "Low vision: large print or a phone call."),
]  # fmt: skip

PEOPLE = STAFF + MEMBERS

# City, neighbourhoods and their blocks.
AREAS: dict[str, list[str]] = {
    "Northbank": ["Alder Street", "Ferry Road", "Willow Court"],
    "Old Mill": ["Mill Lane", "Weaver's Row", "Canal Terrace"],
    "Eastgate": ["Market Square", "Station Road", "Orchard Estate"],
    "Cedar Heights": ["Cedar Towers", "Hillside Walk", "Pine Crescent"],
    "Harbour Flats": ["Dockside", "Anchor Street", "Seagull Estate"],
    "Southfield": ["Southfield Park", "Brook Street", "Green Lane"],
}
CITY = "Riverside"
# A fictional city's centre, and where each neighbourhood lies from it (km north, km east):
# close enough together that helpers within the default 3 km reach their neighbours.
CITY_CENTRE = (Decimal("51.45450"), Decimal("-2.58790"))
NEIGHBOURHOOD_OFFSETS_KM: dict[str, tuple[float, float]] = {
    "Northbank": (1.6, 0.2),
    "Old Mill": (0.4, -1.7),
    "Eastgate": (0.1, 1.8),
    "Cedar Heights": (-1.2, 1.1),
    "Harbour Flats": (-0.9, -1.3),
    "Southfield": (-2.0, 0.0),
}
# Blocks sit a few hundred metres from their neighbourhood's centre.
BLOCK_OFFSETS_KM = [(0.3, 0.2), (-0.2, 0.35), (0.1, -0.4)]


def _moved(
    centre: tuple[Decimal, Decimal], north_km: float, east_km: float
) -> tuple[Decimal, Decimal]:
    """A point `north_km` and `east_km` from `centre` (flat-earth: fine over a few km)."""
    lat, lon = float(centre[0]), float(centre[1])
    new_lat = lat + north_km / 111.32
    new_lon = lon + east_km / (111.32 * math.cos(math.radians(lat)))
    return Decimal(f"{new_lat:.5f}"), Decimal(f"{new_lon:.5f}")


# What people ask and offer ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    category: str  # a category slug
    title: str
    details: str
    urgency: Urgency = Urgency.NORMAL
    private: bool = False  # coordinators only
    window: bool = False  # has dates rather than being ongoing
    speaks: str = ""  # a language the poster speaks and the post asks for


L, N, H, U = Urgency.LOW, Urgency.NORMAL, Urgency.HIGH, Urgency.URGENT
T = Template

ASKS: list[Template] = [
    # Food
    T("food-groceries", "Grocery run on Friday", "I'm recovering from surgery and can't carry bags. About ten things from the Eastgate market; I'll pay for the food, of course.", N, window=True),
    T("food-groceries", "Pick up my food bank parcel", "The food bank on Station Road hands out parcels Tuesdays 2-4pm, when I'm at work. I can give you my card the evening before.", N),
    T("food-meals", "Meals for a few days after the birth", "We just had twins. Anything home-cooked for the freezer would be a blessing. No pork, please.", H),
    T("food-groceries", "Halal shopping for my father", "He is 82 and lives alone in Cedar Towers. A weekly shop from the butcher on Market Square.", L, speaks="so"),
    T("food", "Baby formula until payday", "Ran out of formula two days before payday. Could anyone spare a tin (first milk)?", U),
    T("food-meals", "Someone to cook with me once a week", "Newly diagnosed with diabetes and lost in the kitchen. I'd love to cook together and learn a few cheap recipes.", L),
    T("food-groceries", "Fresh vegetables for a family of six", "The fridge is empty until Monday. We have rice and flour; anything fresh helps.", H),
    T("food-meals", "Soft food after dental surgery", "Soups or anything soft for a week. Happy to pay for the ingredients.", N),
    T("food", "Two more pairs of hands at the pantry", "Not for me: the mosque pantry needs help sorting donations on Saturday morning.", L, window=True),
    T("food-groceries", "Shopping while I isolate", "Tested positive and staying in for five days. I'll leave money in an envelope at the door.", U),
    T("food-meals", "A Sunday dinner for my mum", "She forgets to eat when she's alone. A plate on Sunday evening and a few minutes of chat.", L, speaks="es"),
    # Housing
    T("housing-repairs", "Leaking kitchen tap", "Dripping for weeks and the landlord doesn't answer. I have the new washer, just not the tools.", N),
    T("housing-moving", "Moving out on the 28th", "From a one-bedroom in Northbank to Southfield. Boxes, a bed and a sofa. Need a van and two strong people.", H, window=True),
    T("housing", "Help with the housing register form", "The council's form is 24 pages and I don't understand the medical section.", N),
    T("housing-repairs", "Mould in the bathroom again", "Black mould on the ceiling. Help cleaning it, and writing to the landlord about it.", N),
    T("housing", "Eviction notice: what do I do?", "I got a notice to leave in 14 days. I don't know if it's legal. Please, someone who knows tenants' rights.", U, private=True),
    T("housing-repairs", "Put up shelves and a curtain rail", "Just moved in. I have the shelves and brackets but no drill.", L),
    T("housing-moving", "Carry a donated fridge up two floors", "A neighbour is giving us her fridge. It needs to go from Willow Court to my flat, and there's no lift.", N),
    T("housing-repairs", "Radiator not heating", "Bleeding it didn't help. Any ideas before I chase the landlord again?", H),
    T("housing", "Somewhere to stay for two nights", "My flat is being fumigated Thursday and Friday. It's me and my daughter, 9. A sofa is plenty.", H, private=True, window=True),
    T("housing-repairs", "Broken window latch", "The bedroom window won't lock. We're on the ground floor, so I'm worried.", H),
    T("housing-moving", "Packing up my late mother's flat", "I can't face it alone. Sorting and boxing, over two or three afternoons.", L),
    # Health
    T("health-appointments", "A ride to the clinic on Tuesday", "Physio at the Harbour clinic at 10:30. I can't manage the bus on crutches.", H, window=True),
    T("health-appointments", "Someone to come to the hospital with me", "A scan next week and I'm nervous. Just company in the waiting room.", N),
    T("health", "Understanding my new prescriptions", "I was given four new medicines and the leaflets are only in English. In Arabic, please.", H, speaks="ar"),
    T("health-appointments", "Interpreter at the doctor's", "Appointment on Monday at 9. I speak Tigrinya and a little Arabic.", H, speaks="ti", window=True),
    T("health", "Collect a prescription", "It's ready at the pharmacy on Station Road, but I can't leave the children.", N),
    T("health", "Blood pressure check-ins", "The doctor wants readings twice a week. I have the machine but it confuses me.", L),
    T("health-appointments", "Walk with me to the dentist", "I'm very anxious about dentists. Someone to walk there with me on Thursday.", N),
    T("health", "Company on walks after my operation", "I'm meant to walk 20 minutes a day but I'm nervous going alone.", L),
    T("health", "Booking a vaccination online", "The booking site keeps rejecting our details: my mother's and mine.", N),
    T("health-appointments", "Eye test for my son", "He needs one before school starts. The optician is in Eastgate and I don't drive.", L),
    T("health", "Finding a doctor taking new patients", "We've been here three months and still have no GP.", N, speaks="uk"),
    # Recovery
    T("recovery", "Someone to go with me to my first meeting", "I've meant to go for months. I'd feel better not walking in alone.", H, private=True),
    T("recovery", "A call on Friday nights", "Friday nights are the hardest. A ten-minute call around nine would help.", N, private=True),
    T("recovery", "Help finding a detox service", "I'm ready. I don't know where to start or who takes people without insurance.", U, private=True),
    T("recovery", "A sober friend at a family wedding", "My cousin's wedding is on Saturday. I'd like someone sober beside me for an hour or two.", N, private=True, window=True),
    T("recovery", "Something to do on Sunday afternoons", "Empty Sundays are risky for me. Walks, football, anything.", L),
    T("recovery", "Rides to the outpatient programme", "Three mornings a week for a month, from Cedar Heights to the Harbour centre.", H, private=True),
    T("recovery", "Talking with someone further along", "Six weeks sober. I'd like to talk to someone who has been where I am.", N, private=True),
    T("recovery", "Clearing the old bottles out of my flat", "I want them gone and I can't do it alone.", N, private=True),
    T("recovery", "Letter to my probation officer", "I need to explain a missed appointment: I was in hospital.", H, private=True),
    T("recovery", "My son is using: where do parents go?", "I don't know how to talk to him. Is there a parents' group?", N, private=True),
    T("recovery", "Interview practice after treatment", "My first interview in two years. I need to rehearse how to talk about the gap.", L),
    # Transport
    T("transport-rides", "Ride to the airport at 5am", "Collecting my sister, who is arriving from Kyiv on Thursday morning.", N, window=True, speaks="uk"),
    T("transport-rides", "Lift to a job interview", "Business park, Monday at 10. No bus gets there before 11.", H, window=True),
    T("transport", "A bike for getting to work", "Does anyone have an old bike they don't use? I start a new job next week.", N),
    T("transport-rides", "School run while my car is in the garage", "Two children, 8:15, Cedar Heights to St Mary's, Wednesday to Friday.", H, window=True),
    T("transport", "Help reading the bus map", "New in town. Which bus goes to the job centre, and where do I buy a pass?", L, speaks="fa"),
    T("transport-rides", "Taking my wheelchair for repair", "The repair shop is on the industrial estate. It folds, but not small.", N),
    T("transport-rides", "Ride to Friday prayers", "My knees are bad now. Fridays at 12:30 from Anchor Street.", L),
    T("transport", "Fix a flat tyre on my bike", "Back wheel. I have a pump but no patches and no idea.", L),
    T("transport-rides", "Collect a heavy parcel from the depot", "A sewing machine from my aunt, waiting at the depot since Monday.", N),
    T("transport-rides", "Visiting my husband in the care home", "Two buses and an hour each way. Once a week, any day.", L),
    T("transport", "Practising the tram route with my daughter", "She is autistic and starting college; we'd like to practise the journey together.", L),
    # Childcare
    T("childcare", "Childcare on Saturday", "I have a shift from 9 to 3 this Saturday. Two children, 4 and 7; they love drawing.", H, window=True),
    T("childcare", "After-school pick-up on Thursdays", "Collect my son (6) from Riverside Primary at 3:15 and stay until 5.", N),
    T("childcare", "Babysitter for parents' evening", "One hour on Wednesday evening; the baby will probably sleep.", N, window=True),
    T("childcare", "Help with maths homework", "My daughter (12) struggles with fractions and I can't explain them in English.", L, speaks="fa"),
    T("childcare", "Someone to mind the children during my court date", "The hearing is on Tuesday morning. Two children, 3 and 5.", U, private=True, window=True),
    T("childcare", "Playdates for a shy child", "My son is 7 and hasn't made friends since we moved here.", L),
    T("childcare", "Summer holiday activities on a budget", "Six weeks of holidays and no money for camps. Ideas and company welcome.", L),
    T("childcare", "Mind my toddler during a hospital appointment", "Two hours on Friday morning at my flat in Dockside.", H, window=True),
    T("childcare", "School uniform in size 8", "Jumper and trousers; the school's are too expensive.", N),
    T("childcare", "Reading with my son in English", "He's 8 and catching up. Twenty minutes, twice a week.", L, speaks="vi"),
    T("childcare", "Help with a school admission form", "We arrived in the middle of the year and the form asks things I don't understand.", N),
    # Language and translation
    T("language", "Translating a letter from the council", "It's about council tax and I think it says I owe money. I read Somali.", H, speaks="so"),
    T("language-interpreting", "Interpreter for a school meeting", "With my son's teacher, Tuesday at 4. In Vietnamese.", N, speaks="vi", window=True),
    T("language", "English conversation practice", "I can read English but I'm afraid to speak it. An hour a week over tea.", L),
    T("language-interpreting", "Ukrainian interpreter at the job centre", "My appointment is next Wednesday; last time I understood half.", N, speaks="uk", window=True),
    T("language", "Translating my CV into English", "Fifteen years as an accountant, all written in Ukrainian.", N, speaks="uk"),
    T("language-interpreting", "Phone call to the electricity company", "They call about my meter and I can't follow them. In Arabic, please.", H, speaks="ar"),
    T("language", "An email to my landlord in English", "The boiler is broken and I want to write it clearly and politely.", N),
    T("language-interpreting", "Signing at a parents' meeting", "I'm Deaf; the school says it can't find an ASL interpreter.", N, speaks="ase"),
    T("language", "Learning to read Tigrinya with my children", "They speak it but can't read it. Books and patience welcome.", L, speaks="ti"),
    T("language-interpreting", "Persian interpreter at the bank", "Opening an account for my small business.", N, speaks="fa"),
    T("language", "Understanding a letter from immigration", "It has a deadline and I am scared of getting it wrong.", H, private=True),
    # Legal and documents
    T("legal-forms", "Filling in a housing benefit form", "Started it twice and gave up at the income section.", N),
    T("legal-forms", "Passport renewal for my daughter", "The photo was rejected and I don't know why.", L),
    T("legal", "Understanding a parking fine", "I think it's wrong: I had a permit that day.", N),
    T("legal-forms", "Applying for a blue badge", "For my husband, who can't walk far after his stroke.", L),
    T("legal", "Someone at my tribunal hearing", "An employment tribunal next month. I'd like someone beside me who can take notes.", H, private=True),
    T("legal-forms", "A proof of address letter", "The bank needs one and all my bills are in my brother's name.", N),
    T("legal", "Making a simple will", "I have two children and want things clear. Where do I start?", L),
    T("legal-forms", "Citizenship application checklist", "Forty pages of guidance. Help me make a list of what to send.", N),
    T("legal", "Letters from debt collectors", "Three letters this month; I'm afraid to open the last one.", H, private=True),
    T("legal-forms", "Free school meals application", "Online only, and my phone keeps logging me out.", N),
    T("legal", "Complaint to the council about rubbish collection", "Our street has been missed four weeks running.", L),
    # Emotional support
    T("emotional-support", "A listening ear", "Things have been heavy since my mum died. Just someone to talk to; no advice needed.", N),
    T("emotional-support", "Someone to check in on me", "Living alone since my divorce. A text every couple of days would help.", L),
    T("emotional-support", "Company for my first walk outside in weeks", "I've hardly left the flat. A short walk round the park with someone.", N),
    T("emotional-support", "Talking with another refugee parent", "About raising children between two cultures.", L),
    T("emotional-support", "Support after losing my job", "Twelve years at the factory and it closed on Friday.", N),
    T("emotional-support", "Someone to sit with me on the anniversary", "A year since my son died. I don't want to be alone that day.", H, private=True, window=True),
    T("emotional-support", "Coffee with someone who speaks Ukrainian", "I miss talking in my own language.", L, speaks="uk"),
    T("emotional-support", "Feeling very low this week", "I'm not in danger, but I'm struggling. I'd like to talk to someone today.", U, private=True),
    T("emotional-support", "Caring for my mother is wearing me out", "Two years of caring. I need an hour off and someone to talk to.", N),
    T("emotional-support", "New in Riverside and lonely", "Moved here for work and know nobody yet.", L),
    T("emotional-support", "Talking before a hard family phone call", "I need to tell my father some news and I'm dreading it.", N),
    # Money
    T("money-budgeting", "A budget that lasts the month", "We run out in the third week every month. Help me see where it goes.", N),
    T("money", "Understanding my electricity bill", "It doubled and I don't know if the reading is right.", N),
    T("money", "Applying for a hardship grant", "The council has a fund; the form wants evidence I don't know how to get.", H),
    T("money-budgeting", "Getting out of my overdraft", "It's been months of charges. I want a plan.", N, private=True),
    T("money", "Opening a bank account without a passport", "My passport is with the Home Office. Which banks accept other ID?", N),
    T("money", "Tax return help", "First year self-employed; the deadline is at the end of the month.", L, window=True),
    T("money-budgeting", "Shopping on a tight budget", "Feeding four on very little. Where do people shop?", L),
    T("money", "Emergency money for the gas meter", "The meter ran out and it's cold. I get paid on Thursday.", U),
    T("money", "Checking I get the benefits I'm due", "My situation changed and nobody told me what I can claim.", N),
    T("money-budgeting", "Saving for my daughter's school trip", "£120 by March. Help me find a way.", L),
    T("money", "Rent arrears: talking to the housing office", "Two months behind after my hours were cut. I need someone with me.", H, private=True),
    # Household tasks
    T("household-cleaning", "Deep clean before an inspection", "The housing inspector comes on Friday and my back is bad.", H, window=True),
    T("household", "Mending my winter coat", "The lining is torn and the zip is broken.", L),
    T("household", "Assembling a flat-pack wardrobe", "Two hundred screws and instructions with no words.", N),
    T("household-cleaning", "Cleaning up after a flood", "The flat above flooded into ours. Everything is wet.", U),
    T("household", "Laundry while my machine is broken", "Two loads a week until the repair man comes.", N),
    T("household", "Overgrown garden: the landlord is complaining", "Brambles to the shoulder. I have gloves but no shears.", N),
    T("household-cleaning", "A weekly tidy for an older neighbour", "Not for me: Mr Adebayo next door can't manage any more.", L),
    T("household", "Hanging curtains", "The rails are up, the curtains are heavy, and I'm short.", L),
    T("household", "Walking my dog while I'm in hospital", "Four days next week. She's old and gentle.", H, window=True),
    T("household", "Sorting clothes to donate", "Three bags of my late husband's clothes.", L),
    T("household-cleaning", "Clearing out the balcony", "Years of junk; I'd like to sit out there this summer.", L),
    # Digital help
    T("digital-phones", "Fixing a phone", "The screen is cracked and it won't charge.", N),
    T("digital", "Setting up an email address", "I need one to apply for jobs.", N),
    T("digital-phones", "Video calls with family abroad", "Help setting up video calls on my new phone to see my grandchildren in Herat.", L, speaks="ps"),
    T("digital", "An online job application", "The application closes on Friday and the site keeps timing out.", H, window=True),
    T("digital", "Printing boarding passes", "We fly on Saturday and I have no printer.", N, window=True),
    T("digital-phones", "Getting back into a locked account", "Locked out of my email after changing phones; all my appointments are in it.", H),
    T("digital", "Online banking, safely", "My bank is closing its branch. I'm worried about scams.", L),
    T("digital", "A laptop for my son's homework", "He does it on my phone at the moment.", N),
    T("digital-phones", "Setting up a phone for my grandmother", "Big text, her contacts, and the emergency button.", L, speaks="zh"),
    T("digital", "Booking a council appointment online", "The phone line just says to use the website.", N),
    T("digital", "Is this text a scam?", "It says my parcel is held and asks for £1.99. I already clicked.", U),
]  # fmt: skip

OFFERS: list[Template] = [
    # Food
    T("food-meals", "Home-cooked Somali meals on Sundays", "I cook a big pot of suqaar and rice every Sunday. I can bring portions to Northbank and Old Mill.", speaks="so"),
    T("food-groceries", "Grocery runs on my way home", "I drive past the Market Square shops every weekday at 6pm. Send me a list."),
    T("food-meals", "A big pot of soup every Wednesday", "Vegetarian, enough for five households. Bring a container."),
    T("food", "Vegetables from my allotment", "Courgettes, beans and tomatoes all summer. Come by, or I'll drop them off."),
    T("food-meals", "Freezer meals for new parents", "A week of freezer meals. Tell me what you can't eat."),
    T("food-groceries", "Food bank collections on Tuesdays", "I volunteer at the food bank and can bring parcels to Eastgate and Southfield."),
    T("food-meals", "Cooking on a budget, together", "Five filling dinners that cost very little. In my kitchen or yours."),
    # Housing
    T("housing-repairs", "Small repairs with my own tools", "Taps, shelves, door handles, flat-pack. Evenings and Saturdays."),
    T("housing-moving", "Van and driver for moves", "A van on Sundays. You bring the helpers, I'll bring the straps."),
    T("housing-repairs", "Painting a room with you", "You buy the paint; I bring brushes, sheets and the ladder."),
    T("housing", "Reading a landlord's letter with you", "Ten years in the tenants' association. I can explain a notice and who to call."),
    T("housing-repairs", "Plumbing: leaks and blocked drains", "Small jobs for neighbours, no charge."),
    T("housing-moving", "Strong arms on moving day", "I can lift and carry any weekday before 3pm."),
    T("housing-repairs", "Electrical safety checks", "Retired electrician: sockets, light fittings and smoke alarms."),
    # Health
    T("health-appointments", "Rides to medical appointments", "Weekday mornings. A folding wheelchair fits in the back."),
    T("health", "Explaining medicines in Arabic and English", "I work in a pharmacy and can go through your prescriptions with you.", speaks="ar"),
    T("health-appointments", "Company at appointments", "I'll sit with you in the waiting room and take notes with the doctor."),
    T("health", "Blood pressure checks at home", "Retired nurse. I'll come by and show you how to use your monitor."),
    T("health", "Gentle yoga for older people", "Thursdays at 11 in the Old Mill community room. Chairs available."),
    T("health", "Help registering with a GP", "I know which surgeries take new patients and what to bring."),
    T("health-appointments", "A friendly face at pregnancy appointments", "I'm a doula; I can come along in Spanish or English.", speaks="es"),
    # Recovery
    T("recovery", "Walking to meetings together", "Three years sober. I'll walk with you to any meeting in Riverside."),
    T("recovery", "Late-night phone calls", "I'm up at night. Text me first and I'll call."),
    T("recovery", "Sunday football for people in recovery", "A friendly game at Southfield Park at 2pm. Everyone welcome."),
    T("recovery", "Coffee and honest talk about the first year", "What helped me, what didn't, and no judgement."),
    T("recovery", "Rides to treatment appointments", "Mornings, any day. Discreet: nobody needs to know where we're going.", private=True),
    T("recovery", "Board games on Wednesday evenings", "A sober evening with tea and games at the community centre."),
    T("recovery", "Finding the right service", "I know the local services, their waiting lists and who to ask.", private=True),
    # Transport
    T("transport-rides", "Rides in my minivan, mornings", "Seven seats: airport, hospital, interviews."),
    T("transport", "Bike repairs in my garage", "Punctures, brakes and gears. Saturday afternoons."),
    T("transport", "Small deliveries by bike", "Anything that fits in a courier bag, anywhere in town."),
    T("transport", "A travel buddy to learn a route", "I'll ride the bus or tram with you until you know the way."),
    T("transport-rides", "Weekend lifts to the big supermarket", "Saturday mornings; room for three and their shopping."),
    T("transport", "A spare bike to give away", "Adult size. It needs new brakes, which I'll fit."),
    T("transport-rides", "Airport and hospital runs at night", "I drive a taxi; for neighbours the night runs are free."),
    # Childcare
    T("childcare", "Saturday morning childcare", "I'm a nursery teacher; up to three children at the community room."),
    T("childcare", "After-school homework club", "Maths and reading, Mondays and Wednesdays at the library."),
    T("childcare", "A grandma on call", "I can watch little ones at my place most weekdays. A Spanish-speaking home.", speaks="es"),
    T("childcare", "Children's football on Saturdays", "Ages 6 to 11 at Southfield Park. Boots to borrow."),
    T("childcare", "Babysitting in the evenings", "After 6pm on weekdays. I have first-aid training."),
    T("childcare", "Children's clothes, ages 2 to 8", "Bags of clothes my children outgrew. Free."),
    T("childcare", "Piano lessons for children", "Free for children whose families can't pay for lessons."),
    # Language and translation
    T("language-interpreting", "Somali and English interpreting", "Appointments, phone calls and letters.", speaks="so"),
    T("language", "Spanish and English conversation", "A language exchange, or just practice over coffee.", speaks="es"),
    T("language-interpreting", "Vietnamese interpreting", "For appointments and school meetings.", speaks="vi"),
    T("language", "Letters translated: Arabic and French", "Bring the letter; we'll read it together.", speaks="ar"),
    T("language", "English practice over tea", "Relaxed conversation; mistakes welcome."),
    T("language-interpreting", "Signing along at appointments (ASL)", "I'm not a certified interpreter, but I can come with you as a friend who signs.", speaks="ase"),
    T("language", "Ukrainian and Russian translation", "Documents, forms and phone calls.", speaks="uk"),
    # Legal and documents
    T("legal-forms", "Help with forms and letters", "Benefits, housing, school: we'll fill it in together."),
    T("legal", "Reading official letters with you", "I'm a law student and can explain what a letter asks of you."),
    T("legal-forms", "Benefits form drop-in on Wednesdays", "At the advice centre, 10 to 12."),
    T("legal", "Complaint letters that get answers", "I've written dozens to the council. Most got results."),
    T("legal-forms", "Photocopying and scanning documents", "I have a scanner at home and will send you the files."),
    T("legal-forms", "Citizenship test practice", "Quizzes and explanations, at your pace."),
    T("legal-forms", "Forms in Chinese and English", "I'll go through the form with you in Mandarin.", speaks="zh"),
    # Emotional support
    T("emotional-support", "A listening ear, any evening", "Call or come round for tea. I'll listen."),
    T("emotional-support", "A weekly walk and talk", "Sunday mornings along the river."),
    T("emotional-support", "Grief: I've been there", "I lost my husband two years ago. If you want to talk about loss, I'm here."),
    T("emotional-support", "Tuesday craft circle", "Drawing, knitting and chat at the library. Materials provided."),
    T("emotional-support", "Tea and a chat in Ukrainian or Russian", "For anyone missing home.", speaks="uk"),
    T("emotional-support", "Check-in texts", "A message every couple of days, for as long as you like."),
    T("emotional-support", "Peer support group on Thursdays", "A small group that meets weekly. Come once and see."),
    # Money
    T("money-budgeting", "Budgeting sessions", "An hour with your bills and a notebook; no judgement."),
    T("money", "Help at tax time", "Returns for the self-employed and first-timers."),
    T("money", "A benefits check", "Let's see if you're getting everything you're entitled to."),
    T("money", "Reading bills with you", "Electricity, water, phone: what's normal and what isn't."),
    T("money-budgeting", "A shopping tour of the discounts", "Where and when things are reduced in Riverside."),
    T("money", "Help opening a bank account", "Which banks accept which ID, and what to bring."),
    T("money-budgeting", "Setting up a savings plan", "Small amounts, and a plan that survives a bad month."),
    # Household tasks
    T("household", "Mending and alterations", "Hems, zips, linings and curtains."),
    T("household-cleaning", "Cleaning help, two hours a week", "I bring the products if you like."),
    T("household", "Garden tidy-ups", "Cutting back, weeding and taking the green waste away."),
    T("household", "Dog walking", "Mornings and evenings; dogs of every size."),
    T("household", "A washing machine to share", "Bring your laundry on Mondays and Thursdays."),
    T("household-cleaning", "Decluttering together", "We'll sort it into keep, give and bin, and I'll take the bags."),
    T("household", "Flat-pack assembly", "I have the tools and the patience."),
    # Digital help
    T("digital-phones", "Phone and laptop repairs", "Screens, batteries and charging ports. You pay only for parts."),
    T("digital", "Computer help at the library", "Email, job sites, printing: Tuesdays 2 to 4."),
    T("digital-phones", "Setting up your new phone", "Contacts, apps and safety settings."),
    T("digital", "Refurbished laptops", "I clean up donated laptops for families who need one."),
    T("digital", "Staying safe online", "Spotting scams, strong passwords and safe banking."),
    T("digital", "Printing and scanning", "Bring a memory stick or email me."),
    T("digital-phones", "Video calls made easy", "I'll set it up and we'll make a test call together."),
]  # fmt: skip

HELP_MESSAGES = [
    "I live close by and I'm free after 5.",
    "I've done this before, happy to help.",
    "I can bring my tools.",
    "I'm around this weekend if that works.",
    "Glad to. Text me and we'll find a time.",
    "I had the same problem last year; I know what to do.",
]
REQUEST_MESSAGES = [
    "This would help us a lot, thank you.",
    "Would Saturday work for you?",
    "Could we do it one evening this week?",
    "I'd love this if you still have room.",
]
PAIR_MESSAGES = [
    "I think you two would get on: {helper} helps with this often.",
    "{helper} lives nearby and said they're free this week.",
    "Pairing you with {helper}; say no if it doesn't suit.",
]
# What each side says afterwards; a receiver sometimes thanks in their own language.
HELPER_FEEDBACK = [
    "Glad to help. Lovely to meet you!",
    "Happy to do it again any time.",
    "We had tea afterwards: a good afternoon.",
    "Easy job, and a very nice neighbour.",
    "Thank you for trusting me with this.",
]
RECEIVER_FEEDBACK = [
    "Thank you, it made the week so much easier.",
    "So patient with me. Thank you.",
    "Everything sorted. I can't thank you enough.",
    "Kind, on time, and good company.",
    "It went well. I'd like to return the favour.",
]
THANKS = {
    "ar": "Shukran!",
    "es": "¡Gracias de verdad!",
    "fr": "Merci beaucoup !",
    "pl": "Dziękuję!",
    "pt": "Obrigado!",
    "so": "Mahadsanid!",
    "sw": "Asante sana!",
    "tr": "Teşekkürler!",
    "uk": "Дякую!",
    "vi": "Cảm ơn nhiều!",
}

# Now and then a completion is typed wrong (ten times the hours) and a coordinator reverses it
# and posts the right amount; now and then one is reversed outright. Entries are never edited.
MISTAKE_EVERY, MISTAKE_AT, SLIP_AT = 50, 10, 25

# Hours a completed match records, by category (hours tend to depend on the kind of help).
HOURS: dict[str, tuple[str, ...]] = {
    "housing-moving": ("3", "4", "5"),
    "housing-repairs": ("1", "1.5", "2", "3"),
    "childcare": ("2", "3", "4", "6"),
    "transport-rides": ("1", "1.5", "2"),
    "household-cleaning": ("2", "3"),
}
DEFAULT_HOURS = ("0.5", "1", "1", "1.5", "2")


# Shared pieces ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Built:
    """What a demo network holds, and whether this run built it."""

    network: Network
    created: bool
    members: int
    asks: int
    offers: int
    matches: dict[str, int]
    exchanges: int
    entries: int

    def describe(self) -> str:
        matches = ", ".join(f"{n} {status}" for status, n in self.matches.items())
        return (
            f"{self.network.name} ({self.network.slug}): {self.members} members, "
            f"{self.asks} asks, {self.offers} offers, matches: {matches or 'none'}; "
            f"{self.exchanges} exchanges, {self.entries} ledger entries"
        )


def network_counts(network: Network, *, created: bool) -> Built:
    """Count what a network holds, the same way whichever run built it."""
    by_status = Counter(
        Match.objects.filter(network=network).values_list("status", flat=True).iterator()
    )
    return Built(
        network=network,
        created=created,
        members=Member.objects.filter(network=network).count(),
        asks=Ask.objects.filter(network=network).count(),
        offers=Offer.objects.filter(network=network).count(),
        matches={status: by_status[status] for status in MatchStatus.values if by_status[status]},
        exchanges=Exchange.objects.filter(network=network).count(),
        entries=Entry.objects.filter(exchange__network=network).count(),
    )


def _create_areas(network: Network) -> tuple[list[ServiceArea], list[ServiceArea]]:
    """The city, its neighbourhoods and their blocks; returns (neighbourhoods, blocks)."""
    city = service_area_create(network=network, name=CITY, kind=AreaKind.CITY, centre=CITY_CENTRE)
    neighbourhoods, blocks = [], []
    for name, block_names in AREAS.items():
        hood_centre = _moved(CITY_CENTRE, *NEIGHBOURHOOD_OFFSETS_KM[name])
        hood = service_area_create(
            network=network,
            name=name,
            kind=AreaKind.NEIGHBOURHOOD,
            parent=city,
            centre=hood_centre,
        )
        neighbourhoods.append(hood)
        blocks += [
            service_area_create(
                network=network,
                name=block,
                kind=AreaKind.BLOCK,
                parent=hood,
                centre=_moved(hood_centre, *offset),
            )
            for block, offset in zip(block_names, BLOCK_OFFSETS_KM, strict=True)
        ]
    return neighbourhoods, blocks


def _is_demo(network: Network, admin_email: str) -> bool:
    return Member.objects.filter(network=network, user__email=admin_email, role=Role.ADMIN).exists()


def _existing(slug: str, admin_email: str) -> Network | None:
    """The network this builder made before, or None. Refuses to touch a network of the same
    short name that some person made."""
    network = Network.objects.filter(slug=slug).first()
    if network is not None and not _is_demo(network, admin_email):
        raise ValidationError(
            f"A network with the short name {slug!r} exists and was not made by the demo; "
            "it is left alone."
        )
    return network


# The demo network -------------------------------------------------------------------------


def build_demo(*, seed: int = DEMO_SEED, log: Log = print) -> Built:
    """Build Riverside Mutual Aid through the services, or leave it as it is if it exists."""
    existing = _existing(DEMO_SLUG, STAFF[2].email)
    if existing is not None:
        return network_counts(existing, created=False)
    with notifications_muted(), transaction.atomic():
        network = _DemoBuilder(seed=seed, log=log).build()
        # Set once the story is built, so its asks are not matched one by one as they are
        # written: from now on matching runs every half hour, its proposals for review.
        Network.objects.filter(pk=network.pk).update(matching_every_minutes=30)
    return network_counts(network, created=True)


class _Story:
    """The moments of one thread (a post and what follows it), always moving forward and
    never reaching the present."""

    def __init__(self, start: datetime, latest: datetime, rng: random.Random) -> None:
        self.at = start
        self.latest = latest
        self.rng = rng

    def later(self, low_hours: float, high_hours: float) -> datetime:
        step = timedelta(hours=self.rng.uniform(low_hours, high_hours))
        if self.at + step >= self.latest:  # squeeze the rest of the story into what's left
            step = (self.latest - self.at) / 3
        self.at += step
        return self.at


class _DemoBuilder:
    def __init__(self, *, seed: int, log: Log) -> None:
        self.rng = random.Random(seed)
        self.log = log
        # The story ends at the last midnight (UTC), so two builds on one day are identical.
        self.now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        self.latest = self.now - timedelta(minutes=30)
        self.gave: Counter[int] = Counter()
        self.received: Counter[int] = Counter()
        self.asks_by: Counter[int] = Counter()
        self.offers_by: Counter[int] = Counter()
        self.completions = 0
        self.mistakes: list[tuple[Exchange, Decimal, _Story]] = []
        self.slips: list[tuple[Exchange, _Story]] = []

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    # Setting up

    def build(self) -> Network:
        with _clock(self.days_ago(120)):
            self.network = network_create(
                slug=DEMO_SLUG,
                name="Riverside Mutual Aid",
                description=(
                    "Neighbours helping neighbours across Riverside since the floods: groceries, "
                    "rides, forms, childcare and a listening ear. Everyone here gives and receives."
                ),
                open_signup=False,
            )
            self.neighbourhoods, self.blocks = _create_areas(self.network)
        self.categories = {
            category.slug: category
            for category in Category.objects.filter(network=self.network).select_related("parent")
        }
        self.languages = Language.objects.in_bulk()
        self.log("Building Riverside Mutual Aid: people...")
        self._people()
        self.log("... asks and offers...")
        asks = [self._ask(template) for template in ASKS]
        offers = [self._offer(template) for template in OFFERS]
        self.log("... matches and exchanges...")
        self._ask_stories(asks)
        self._offer_stories(offers)
        self._corrections()
        self.log("... groups and their meetings...")
        self.groups = GroupsBuilder(
            network=self.network,
            staff=self.staff,
            members=self.members[len(STAFF) :],
            now=self.now,
            rng=self.rng,
            clock=_clock,
        ).build()
        self.log("... the directory of community resources...")
        build_directory(network=self.network, centre=CITY_CENTRE, log=self.log)
        build_follow_up(
            network=self.network,
            staff=self.staff,
            members=self.members[len(STAFF) :],
            now=self.now,
            clock=_clock,
            log=self.log,
        )
        return self.network

    def _people(self) -> None:
        password = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
        emails = [person.email for person in PEOPLE]
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        self.members: list[Member] = []
        self.person: dict[int, Person] = {}
        self.speaks: dict[int, set[str]] = {}
        for n, person in enumerate(PEOPLE):
            joined = self.days_ago(120 - n * 0.4)
            user = users.get(person.email)
            if user is None:
                user = User(email=person.email, display_name=person.name, date_joined=joined)
            user.password = password
            user.save()
            contact, phone = self._contact(n, person)
            profile_update(
                user=user,
                display_name=person.name,
                languages=[self.languages[code] for code in person.languages],
                strengths=person.strengths,
                accessibility_needs=person.accessibility,
                contact_preference=contact,
                phone=phone,
            )
            with _clock(joined):
                member = member_add(network=self.network, user=user, role=person.role)
            member_update(
                member=member,
                service_area=self._home(),
                helps_with=[self.categories[slug] for slug in person.helps_with],
            )
            self.members.append(member)
            self.person[member.pk] = person
            self.speaks[member.pk] = set(person.languages)
        self.coordinator = self.members[0]
        self.staff = self.members[: len(STAFF)]

    def _contact(self, n: int, person: Person) -> tuple[str, str]:
        if "Deaf" in person.accessibility:
            return ContactPreference.EMAIL, ""
        contact = self.rng.choices(
            [ContactPreference.EMAIL, ContactPreference.TEXT, ContactPreference.PHONE], [5, 3, 2]
        )[0]
        # 202-555-01xx numbers are reserved for fiction.
        phone = "" if contact == ContactPreference.EMAIL else f"+1 202-555-01{n:02d}"
        return contact, phone

    def _home(self) -> ServiceArea | None:
        roll = self.rng.random()
        if roll < 0.8:
            return self.rng.choice(self.blocks)
        if roll < 0.95:
            return self.rng.choice(self.neighbourhoods)
        return None

    # Posting

    def _fits(self, member: Member, slug: str) -> bool:
        """Whether a member says they help with this category (or the one above it)."""
        category = self.categories[slug]
        family = {slug, category.parent.slug if category.parent else slug}
        helps = set(self.person[member.pk].helps_with)
        return bool(family & helps) or any(
            self.categories[h].parent_id == category.pk for h in helps
        )

    def _top(self, slug: str) -> str:
        category = self.categories[slug]
        return category.parent.slug if category.parent else slug

    def _poster(self, template: Template, kind: str) -> Member:
        candidates = [
            m for m in self.members if not template.speaks or template.speaks in self.speaks[m.pk]
        ]
        if kind == "offer":
            fitting = [m for m in candidates if self._fits(m, template.category)]
            candidates = fitting or candidates
            return min(candidates, key=lambda m: (self.offers_by[m.pk], self.rng.random()))
        staff = {m.pk for m in self.staff}
        return min(
            candidates,
            key=lambda m: (
                self.asks_by[m.pk] + (2 if m.pk in staff else 0),
                self._fits(m, template.category),
                self.rng.random(),
            ),
        )

    def _fields(self, template: Template, member: Member, posted: datetime) -> PostFields:
        starts_on = ends_on = None
        if template.window or self.rng.random() < 0.1:
            starts_on = posted.date() + timedelta(days=self.rng.randint(1, 6))
            ends_on = starts_on + timedelta(days=self.rng.choice([0, 0, 1, 2, 3]))
        if template.speaks:
            languages: tuple[str, ...] = (template.speaks,)
        else:
            own = [code for code in self.person[member.pk].languages if code != "en"]
            languages = (own[0],) if own and self.rng.random() < 0.35 else ()
        home = member.service_area
        area = home if self.rng.random() < 0.7 else (home.parent if home else None)
        return PostFields(
            category=self.categories[template.category],
            title=template.title,
            details=template.details,
            area=area,
            starts_on=starts_on,
            ends_on=ends_on,
            languages=tuple(self.languages[code] for code in languages),
            visibility=Visibility.COORDINATORS if template.private else Visibility.NETWORK,
        )

    def _posted(self, low_days: float, high_days: float) -> datetime:
        posted = self.days_ago(self.rng.uniform(low_days, high_days))
        posted = posted.replace(hour=self.rng.randint(7, 21), minute=self.rng.randrange(0, 60, 5))
        return min(posted, self.latest - timedelta(hours=12))

    def _ask(self, template: Template) -> Ask:
        member = self._poster(template, "ask")
        posted = self._posted(1, 90)
        fields = self._fields(template, member, posted)
        self.asks_by[member.pk] += 1
        with _clock(posted):
            return ask_create(member=member, fields=fields, urgency=template.urgency)

    def _offer(self, template: Template) -> Offer:
        member = self._poster(template, "offer")
        posted = self._posted(20, 95)  # offers tend to come first
        fields = self._fields(template, member, posted)
        self.offers_by[member.pk] += 1
        with _clock(posted):
            return offer_create(member=member, fields=fields)

    # Asks and what came of them

    def _ask_outcome(self, age_days: float) -> str:
        if age_days < 4:
            weights = {"open": 35, "proposed": 35, "accepted": 30}
        elif age_days < 14:
            weights = {"completed": 35, "accepted": 20, "proposed": 15, "open": 15, "paused": 5,
                       "closed": 5, "declined": 5}  # fmt: skip
        else:
            weights = {"completed": 66, "open": 6, "closed": 8, "paused": 3, "accepted": 6,
                       "proposed": 5, "declined": 3, "cancelled": 3}  # fmt: skip
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _ask_stories(self, asks: list[Ask]) -> None:
        ages = {ask.pk: (self.now - ask.created_at).total_seconds() / 86400 for ask in asks}
        outcomes = {ask.pk: self._ask_outcome(ages[ask.pk]) for ask in asks}
        # Nobody is only a giver: each member has at least one ask that was met, if they have
        # one old enough.
        for member in self.members:
            theirs = sorted(
                (ask for ask in asks if ask.member_id == member.pk and ages[ask.pk] >= 4),
                key=lambda ask: ask.created_at,
            )
            if theirs and not any(outcomes[ask.pk] == "completed" for ask in theirs):
                outcomes[theirs[0].pk] = "completed"
        for ask in asks:
            self._ask_story(ask, outcomes[ask.pk])

    def _helper_for(self, ask: Ask, *, besides: Sequence[Member] = ()) -> Member:
        wanted = set(ask.languages.values_list("code", flat=True))
        taken = {ask.member_id, *(m.pk for m in besides)}
        return min(
            (m for m in self.members if m.pk not in taken),
            key=lambda m: (
                not self._fits(m, ask.category.slug),
                bool(wanted) and not wanted & self.speaks[m.pk],
                self.gave[m.pk],
                self.rng.random(),
            ),
        )

    def _ask_story(self, ask: Ask, outcome: str) -> None:
        story = _Story(ask.created_at, self.latest, self.rng)
        if outcome in ("open", "closed", "paused"):
            if self.rng.random() < 0.25:  # someone offered, and it didn't work out
                self._ask_match(ask, story, end=self.rng.choice(["declined", "cancelled"]))
            if outcome != "open":
                ask.refresh_from_db(fields=["status"])
                with _clock(story.later(24, 24 * 10)):
                    action = "close" if outcome == "closed" else "pause"
                    post_transition(post=ask, by=ask.member, action=action)
            return
        if outcome in ("completed", "accepted") and self.rng.random() < 0.15:
            self._ask_match(ask, story, end="declined")
        self._ask_match(ask, story, end=outcome)

    def _ask_match(self, ask: Ask, story: _Story, *, end: str) -> Match:
        ask.refresh_from_db(fields=["status"])
        earlier = [match.helper for match in Match.objects.filter(ask=ask).select_related("helper")]
        helper = self._helper_for(ask, besides=earlier)
        receiver = ask.member
        paired = ask.visibility == Visibility.COORDINATORS or self.rng.random() < 0.15
        with _clock(story.later(1, 48)):
            if paired:
                offer = self._open_offer_of(helper, ask)
                match = match_pair(
                    by=self.coordinator,
                    ask=ask,
                    offer=offer,
                    helper=None if offer else helper,
                    message=self.rng.choice(PAIR_MESSAGES).format(helper=helper.user.display_name),
                )
            else:
                match = match_offer_help(
                    ask=ask, helper=helper, message=self.rng.choice(HELP_MESSAGES)
                )
        if paired:
            with _clock(story.later(1, 24)):
                match = (match_decline if end == "declined" else match_accept)(
                    match=match, by=helper
                )
            if end in ("declined", "proposed"):
                return match
            with _clock(story.later(1, 24)):
                match = match_accept(match=match, by=receiver)
        else:
            if end == "proposed":
                return match
            with _clock(story.later(1, 24)):
                if end == "declined":
                    return match_decline(match=match, by=receiver)
                match = match_accept(match=match, by=receiver)
        return self._after_acceptance(match, story, end=end)

    def _open_offer_of(self, helper: Member, ask: Ask) -> Offer | None:
        """An offer of the helper's in the ask's field, if a coordinator would pair with it."""
        if self.rng.random() < 0.5:
            return None
        top = self._top(ask.category.slug)
        for offer in Offer.objects.filter(
            member=helper, status=PostStatus.OPEN, created_at__lt=timezone.now()
        ).select_related("category__parent"):
            if self._top(offer.category.slug) == top:
                return offer
        return None

    def _after_acceptance(self, match: Match, story: _Story, *, end: str) -> Match:
        if end == "accepted":
            return match
        if end == "cancelled":
            with _clock(story.later(12, 72)):
                by = self.rng.choice([match.helper, match.receiver, self.coordinator])
                return match_cancel(match=match, by=by)
        self._complete(match, story)
        return match

    def _feedback(self, match: Match, by: Member) -> str:
        if by.pk == match.helper_id:
            return self.rng.choice(HELPER_FEEDBACK)
        feedback = self.rng.choice(RECEIVER_FEEDBACK)
        thanks = [THANKS[code] for code in self.person[by.pk].languages if code in THANKS]
        return f"{thanks[0]} {feedback}" if thanks and self.rng.random() < 0.5 else feedback

    def _complete(self, match: Match, story: _Story) -> Exchange:
        subject = match.ask or match.offer
        assert subject is not None
        hours = Decimal(self.rng.choice(HOURS.get(subject.category.slug, DEFAULT_HOURS)))
        self.completions += 1
        turn = self.completions % MISTAKE_EVERY
        by = self.rng.choice([match.helper, match.receiver])
        with _clock(story.later(24, 24 * 6)):
            exchange = match_complete(
                match=match,
                by=by,
                hours=hours * 10 if turn == MISTAKE_AT else hours,
                key=f"demo:match:{match.pk}",
                feedback=self._feedback(match, by) if self.rng.random() < 0.6 else "",
            )
        self.gave[match.helper_id] += 1
        self.received[match.receiver_id] += 1
        if turn == MISTAKE_AT:
            self.mistakes.append((exchange, hours, story))
        elif turn == SLIP_AT:
            self.slips.append((exchange, story))
        if self.rng.random() < 0.4:
            other = match.receiver if by.pk == match.helper_id else match.helper
            with _clock(story.later(2, 48)):
                match_feedback(match=match, by=other, feedback=self._feedback(match, other))
        return exchange

    # Offers and who took them up

    def _offer_stories(self, offers: list[Offer]) -> None:
        for offer in offers:
            story = _Story(offer.created_at, self.latest, self.rng)
            if offer.visibility == Visibility.COORDINATORS:
                continue  # only a coordinator's pairing reaches a private offer
            requests = self.rng.choices([0, 1, 2, 3], [15, 45, 28, 12])[0]
            wanted = set(offer.languages.values_list("code", flat=True))
            # Whoever a coordinator already paired with this offer is not asking again.
            receivers = list(
                Member.objects.filter(
                    pk__in=Match.objects.filter(offer=offer).values("receiver_id")
                )
            )
            for _ in range(requests):
                receiver = min(
                    (m for m in self.members if m.pk != offer.member_id and m not in receivers),
                    key=lambda m: (
                        bool(wanted) and not wanted & self.speaks[m.pk],
                        self.received[m.pk],
                        self.rng.random(),
                    ),
                )
                receivers.append(receiver)
                self._offer_match(offer, receiver, story)
            if not requests and self.rng.random() < 0.3:
                with _clock(story.later(24 * 7, 24 * 30)):
                    post_transition(post=offer, by=offer.member, action="pause")

    def _offer_match(self, offer: Offer, receiver: Member, story: _Story) -> Match:
        end = self.rng.choices(
            ["completed", "accepted", "proposed", "declined", "cancelled"], [50, 12, 13, 12, 13]
        )[0]
        with _clock(story.later(6, 24 * 5)):
            match = match_request_offer(
                offer=offer, receiver=receiver, message=self.rng.choice(REQUEST_MESSAGES)
            )
        if end == "proposed":
            return match
        with _clock(story.later(1, 24)):
            if end == "declined":
                return match_decline(match=match, by=offer.member)
            match = match_accept(match=match, by=offer.member)
        return self._after_acceptance(match, story, end=end)

    # Corrections: entries are never edited, only reversed

    def _corrections(self) -> None:
        for exchange, hours, story in self.mistakes:
            amount = hours_to_hundredths(hours)
            wrong, right = hundredths_to_units(amount * 10), hundredths_to_units(amount)
            with _clock(story.later(12, 48)):
                exchange_reverse(
                    exchange=exchange,
                    by=self.coordinator,
                    memo=f"Entered {wrong} hours instead of {right}",
                )
            with _clock(story.later(0.1, 0.5)):
                exchange_post(
                    provider=exchange.provider,
                    receiver=exchange.receiver,
                    amount=amount,
                    key=f"demo:correction:{exchange.pk}",
                    memo=f"Correction: {right} hours for “{exchange.memo}”"[:200],
                    by=self.coordinator,
                )
        for exchange, story in self.slips:
            with _clock(story.later(12, 48)):
                exchange_reverse(
                    exchange=exchange,
                    by=self.coordinator,
                    memo="Marked done by mistake: the visit was called off",
                )


def demo_logins() -> str:
    members = ", ".join(p.email for p in MEMBERS[:2]) + f" ... {MEMBERS[-1].email}"
    lines = [f"Demo logins (password: {DEMO_PASSWORD}):"]
    lines += [f"  {person.email:<26} {person.role.label}, {person.name}" for person in STAFF]
    lines.append(f"  {members} (members)")
    return "\n".join(lines)


# The large network, for benchmarks --------------------------------------------------------

LARGE_MEMBERS, LARGE_POSTS, LARGE_ENTRIES = 10_000, 100_000, 1_000_000


def large_size(scale: float = 1.0) -> dict[str, int]:
    """The sizes of the large network at a fraction of its full size (keyword arguments of
    `build_large`)."""
    return {
        "members": max(4, round(LARGE_MEMBERS * scale)),
        "posts": round(LARGE_POSTS * scale),
        "entries": round(LARGE_ENTRIES * scale),
    }


def large_logins() -> str:
    return (
        f"Benchmark logins (password: {DEMO_PASSWORD}): large1@example.org (admin), "
        "large2@example.org (coordinator), large3@example.org (facilitator), "
        "large4@example.org ... (members)"
    )


FIRST_NAMES = sorted({person.name.split()[0] for person in PEOPLE if " " in person.name})
INITIALS = "ABCDEFGHIJKLMNOPRSTVWYZ"
ASK_STATUSES = [
    PostStatus.OPEN,
    PostStatus.MATCHED,
    PostStatus.FULFILLED,
    PostStatus.CLOSED,
    PostStatus.PAUSED,
]
OFFER_STATUSES = [PostStatus.OPEN, PostStatus.PAUSED, PostStatus.CLOSED]
Post = TypeVar("Post", Ask, Offer)


@dataclass(slots=True)
class _Plan:
    """The exchanges of the large network, as plain numbers before any row is written."""

    provider: list[int]
    receiver: list[int]
    amount: list[int]
    match: list[int | None]
    memo: list[str]
    reversed: list[int]  # indices of the exchanges a later correction reverses


def build_large(
    *,
    members: int = LARGE_MEMBERS,
    posts: int = LARGE_POSTS,
    entries: int = LARGE_ENTRIES,
    seed: int = LARGE_SEED,
    progress: bool = True,
    log: Log = print,
) -> Built:
    """Build the benchmark network with bulk inserts, or leave it as it is if it exists.

    `members` includes an admin, a coordinator and a facilitator; `posts` is asks plus
    offers; `entries` is the number of ledger entries, two per exchange (rounded down to
    even). The ledger is computed in Python first, so accounts are written with their final
    balances and exchanges and entries are only ever inserted."""
    if members < 4:
        raise ValueError("The large network needs at least four members.")
    existing = _existing(LARGE_SLUG, "large1@example.org")
    if existing is not None:
        return network_counts(existing, created=False)
    with transaction.atomic():
        network = _LargeBuilder(
            members=members,
            posts=posts,
            exchanges=entries // 2,
            seed=seed,
            progress=progress,
            log=log,
        ).build()
    return network_counts(network, created=True)


class _LargeBuilder:
    BATCH = 2_000

    def __init__(
        self, *, members: int, posts: int, exchanges: int, seed: int, progress: bool, log: Log
    ) -> None:
        self.n_members = members
        self.n_posts = posts
        self.n_exchanges = exchanges
        self.rng = random.Random(seed)
        self.progress = progress
        self.log = log
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.start = self.now - timedelta(days=365)

    def _bar(self, total: int, what: str) -> tqdm:
        return tqdm(total=total, desc=f"{what:<10}", unit=" rows", disable=not self.progress)

    def _at(self, fraction: float) -> datetime:
        """A moment of the past year, `fraction` of the way through it."""
        return self.start + (self.now - timedelta(hours=1) - self.start) * fraction

    def build(self) -> Network:
        with _clock(self.start - timedelta(days=30)):
            self.network = network_create(
                slug=LARGE_SLUG,
                name="Riverside Mutual Aid (benchmark)",
                description="A large network generated for benchmarks: not real people.",
                open_signup=False,
            )
            _hoods, self.blocks = _create_areas(self.network)
        self.categories = list(
            Category.objects.filter(network=self.network).select_related("parent").order_by("pk")
        )
        self.language_codes = sorted(Language.objects.values_list("code", flat=True))
        self._members()
        self._posts()
        plan = self._plan()
        self._accounts(plan)
        self._exchanges(plan)
        return self.network

    def _members(self) -> None:
        password = make_password(DEMO_PASSWORD)
        roles = {1: Role.ADMIN, 2: Role.COORDINATOR, 3: Role.FACILITATOR}
        self.member_ids: list[int] = []
        self.names: dict[int, str] = {}
        with self._bar(self.n_members, "members") as bar:
            for start in range(1, self.n_members + 1, self.BATCH):
                numbers = range(start, min(start + self.BATCH, self.n_members + 1))
                joined = self._at(0.0)
                users = self._users(numbers, password, joined)
                with _clock(joined):
                    batch = Member.objects.bulk_create(
                        Member(
                            network=self.network,
                            user=user,
                            role=roles.get(n, Role.COORDINATOR if n % 500 == 0 else Role.MEMBER),
                            service_area=self.rng.choice(self.blocks),
                        )
                        for n, user in zip(numbers, users, strict=True)
                    )
                for member, user in zip(batch, users, strict=True):
                    self.member_ids.append(member.pk)
                    self.names[member.pk] = user.display_name
                bar.update(len(batch))
        self.area_of = dict(
            Member.objects.filter(network=self.network).values_list("pk", "service_area_id")
        )

    def _users(self, numbers: range, password: str, joined: datetime) -> list[User]:
        """The people of one batch: those a previous build left behind, and new ones."""
        emails = [f"large{n}@example.org" for n in numbers]
        found = {user.email: user for user in User.objects.filter(email__in=emails)}
        User.objects.bulk_create(
            User(
                email=email,
                display_name=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(INITIALS)}.",
                password=password,
                date_joined=joined,
            )
            for email in emails
            if email not in found
        )
        found = {user.email: user for user in User.objects.filter(email__in=emails)}
        return [found[email] for email in emails]

    def _posts(self) -> None:
        """Asks and offers, titled like the demo's, with their matches."""
        titles: dict[tuple[str, str], list[Template]] = {}
        for kind, templates in (("ask", ASKS), ("offer", OFFERS)):
            for template in templates:
                titles.setdefault((kind, template.category), []).append(template)
        n_asks = self.n_posts * 55 // 100
        self.completed: list[tuple[int, int, int, str]] = []  # (match, helper, receiver, title)
        with self._bar(self.n_posts, "posts") as bar:
            self._insert_posts(Ask, n_asks, titles, bar, then=self._matches)
            self._insert_posts(Offer, self.n_posts - n_asks, titles, bar)

    def _insert_posts(
        self,
        model: type[Post],
        count: int,
        titles: dict[tuple[str, str], list[Template]],
        bar: tqdm,
        then: Callable[[list[Post]], None] | None = None,
    ) -> None:
        kind = "ask" if model is Ask else "offer"
        for start in range(0, count, self.BATCH):
            size = min(self.BATCH, count - start)
            rows = [self._post_row(kind, titles) for _ in range(size)]
            with _clock(self._at(0.05 + 0.9 * start / max(count, 1))):
                created = model.objects.bulk_create(model(**fields) for fields, _codes in rows)
            through = model.languages.through
            through.objects.bulk_create(
                through(**{f"{kind}_id": post.pk, "language_id": code})
                for post, (_fields, codes) in zip(created, rows, strict=True)
                for code in codes
            )
            if then is not None:
                then(created)
            bar.update(size)

    def _post_row(
        self, kind: str, titles: dict[tuple[str, str], list[Template]]
    ) -> tuple[dict[str, Any], list[str]]:
        """The fields of one ask or offer, and the codes of its languages."""
        category = self.rng.choice(self.categories)
        parent = category.parent.slug if category.parent else ""
        options = (
            titles.get((kind, category.slug))
            or titles.get((kind, parent))
            or (ASKS if kind == "ask" else OFFERS)
        )
        template = self.rng.choice(options)
        member_id = self.rng.choice(self.member_ids)
        private = template.private or self.rng.random() < 0.03
        fields: dict[str, Any] = {
            "network": self.network,
            "member_id": member_id,
            "category": category,
            "title": template.title,
            "details": template.details,
            "area_id": self.area_of[member_id],
            "visibility": Visibility.COORDINATORS if private else Visibility.NETWORK,
        }
        if self.rng.random() < 0.2:
            starts_on = self.now.date() - timedelta(days=self.rng.randrange(365))
            fields["starts_on"] = starts_on
            fields["ends_on"] = starts_on + timedelta(days=self.rng.randrange(7))
        codes = [self.rng.choice(self.language_codes)] if self.rng.random() < 0.1 else []
        if kind == "ask":
            fields["urgency"] = self.rng.choice(Urgency.values)
            fields["status"] = self.rng.choices(ASK_STATUSES, [50, 6, 34, 7, 3])[0]
        else:
            fields["status"] = self.rng.choices(OFFER_STATUSES, [85, 5, 10])[0]
        return fields, codes

    def _matches(self, asks: list[Ask]) -> None:
        """One match per matched or fulfilled ask, a proposal on some open ones, and a few
        that were declined or cancelled; a fulfilled ask's match is completed and will post
        one exchange (as long as the planned exchanges last)."""
        room = self.n_exchanges - self._reversal_count() - len(self.completed)
        matches = []
        for ask in asks:
            end = {
                PostStatus.MATCHED: MatchStatus.ACCEPTED,
                PostStatus.FULFILLED: MatchStatus.COMPLETED,
            }.get(ask.status)  # type: ignore[call-overload]
            if end is None and ask.status == PostStatus.OPEN:
                end = self.rng.choices(
                    [None, MatchStatus.PROPOSED, MatchStatus.DECLINED, MatchStatus.CANCELLED],
                    [80, 12, 4, 4],
                )[0]
            if end == MatchStatus.COMPLETED:
                if room <= 0:
                    continue
                room -= 1
            if end is None:
                continue
            helper = self.rng.choice(self.member_ids)
            while helper == ask.member_id:
                helper = self.rng.choice(self.member_ids)
            at = ask.created_at + timedelta(hours=self.rng.uniform(1, 72))
            accepted = end in (MatchStatus.ACCEPTED, MatchStatus.COMPLETED, MatchStatus.CANCELLED)
            ended = end in (MatchStatus.COMPLETED, MatchStatus.DECLINED, MatchStatus.CANCELLED)
            matches.append(
                Match(
                    network=self.network,
                    ask=ask,
                    helper_id=helper,
                    receiver_id=ask.member_id,
                    proposed_by_id=helper,
                    status=end,
                    helper_accepted_at=at,
                    receiver_accepted_at=at if accepted else None,
                    ended_at=at if ended else None,
                    ended_by_id=helper if ended else None,
                )
            )
        with _clock(asks[0].created_at):
            created = Match.objects.bulk_create(matches)
        for match in created:
            if match.status == MatchStatus.COMPLETED:
                assert match.ask is not None
                self.completed.append(
                    (match.pk, match.helper_id, match.receiver_id, match.ask.title)
                )

    def _plan(self) -> _Plan:
        """Every exchange as numbers: the completed matches' and free-standing ones, shuffled."""
        plan = _Plan([], [], [], [], [], [])
        free = self.n_exchanges - len(self.completed) - self._reversal_count()
        amounts = [50, 100, 100, 150, 200, 300]
        for match_id, helper, receiver, title in self.completed:
            plan.provider.append(helper)
            plan.receiver.append(receiver)
            plan.amount.append(self.rng.choice(amounts))
            plan.match.append(match_id)
            plan.memo.append(title)
        for _ in range(free):
            provider, receiver = self.rng.sample(self.member_ids, 2)
            plan.provider.append(provider)
            plan.receiver.append(receiver)
            plan.amount.append(self.rng.choice(amounts))
            plan.match.append(None)
            plan.memo.append("")
        order = list(range(len(plan.amount)))
        self.rng.shuffle(order)
        return _Plan(
            provider=[plan.provider[i] for i in order],
            receiver=[plan.receiver[i] for i in order],
            amount=[plan.amount[i] for i in order],
            match=[plan.match[i] for i in order],
            memo=[plan.memo[i] for i in order],
            reversed=sorted(self.rng.sample(order, min(self._reversal_count(), len(order)))),
        )

    def _reversal_count(self) -> int:
        """About one exchange in a thousand is corrected (at least one, unless tiny)."""
        return max(1, self.n_exchanges // 1000) if self.n_exchanges >= 20 else 0

    def _accounts(self, plan: _Plan) -> None:
        """Accounts with the balances their entries will sum to: a reversed exchange and its
        reversal cancel out, so only the exchanges left standing count."""
        balance: Counter[int] = Counter()
        standing = set(range(len(plan.amount))) - set(plan.reversed)
        for i in standing:
            balance[plan.provider[i]] += plan.amount[i]
            balance[plan.receiver[i]] -= plan.amount[i]
        accounts = Account.objects.bulk_create(
            (
                Account(network=self.network, member_id=member_id, balance=balance[member_id])
                for member_id in self.member_ids
            ),
            batch_size=self.BATCH,
        )
        self.account_of = {account.member_id: account.pk for account in accounts}

    def _exchanges(self, plan: _Plan) -> None:
        limit = self.network.balance_lower_limit
        running: Counter[int] = Counter()
        originals = len(plan.amount)
        exchange_ids: list[int] = []
        with self._bar(originals + len(plan.reversed), "exchanges") as bar:
            for start in range(0, originals, self.BATCH):
                rows = []
                for i in range(start, min(start + self.BATCH, originals)):
                    provider, receiver, amount = plan.provider[i], plan.receiver[i], plan.amount[i]
                    below = running[receiver] - amount < limit
                    running[provider] += amount
                    running[receiver] -= amount
                    rows.append(
                        Exchange(
                            network=self.network,
                            key=f"bench:{i}",
                            provider_id=provider,
                            receiver_id=receiver,
                            amount=amount,
                            match_id=plan.match[i],
                            memo=plan.memo[i],
                            receiver_below_limit=below,
                            created_by_id=provider,
                        )
                    )
                with _clock(self._at(0.1 + 0.85 * start / max(originals, 1))):
                    created = Exchange.objects.bulk_create(rows)
                exchange_ids += [exchange.pk for exchange in created]
                self._entries(created)
                bar.update(len(created))
            # Corrections, as a coordinator would post them.
            rows = [
                Exchange(
                    network=self.network,
                    key=f"reversal:{exchange_ids[i]}",
                    provider_id=plan.provider[i],
                    receiver_id=plan.receiver[i],
                    amount=-plan.amount[i],
                    match_id=plan.match[i],
                    reverses_id=exchange_ids[i],
                    memo="Correction",
                    created_by_id=self.member_ids[1],
                )
                for i in plan.reversed
            ]
            with _clock(self._at(0.97)):
                created = Exchange.objects.bulk_create(rows, batch_size=self.BATCH)
            self._entries(created)
            bar.update(len(created))

    def _entries(self, exchanges: list[Exchange]) -> None:
        Entry.objects.bulk_create(
            entry
            for exchange in exchanges
            for entry in (
                Entry(
                    exchange_id=exchange.pk,
                    account_id=self.account_of[exchange.provider_id],
                    amount=exchange.amount,
                ),
                Entry(
                    exchange_id=exchange.pk,
                    account_id=self.account_of[exchange.receiver_id],
                    amount=-exchange.amount,
                ),
            )
        )
