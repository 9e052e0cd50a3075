"""The demo's vocabulary: made-up names, real local authorities, the demo logins and the
dates the demo history turns on. Data only."""

import datetime

from network.base.models import Role
from trusts.models import (
    CommunityType,
    Region,
)

DEMO_PASSWORD = "demo-network-2026"  # noqa: S105  (printed for people trying the demo)
DEFAULT_SEED = 2026
NETWORK_SLUG = "ssn"
# Progress 8 stops at 2023-24: the DfE publishes none for 2024-25 and 2025-26, whose
# pupils have no KS2 results (the 2020 and 2021 tests were cancelled); it returns for
# 2026-27, published in the autumn of 2027. The review's window skips the missing years.
ACADEMIC_YEARS = ("2021-22", "2022-23", "2023-24")
# Ofsted stopped single-word judgements for inspections from September 2024, and moved
# to report cards under the renewed framework from 10 November 2025.
UNGRADED_FROM = datetime.date(2024, 9, 1)
REPORT_CARDS_FROM = datetime.date(2025, 11, 10)
PANDEMIC_PAUSE = (datetime.date(2020, 3, 17), datetime.date(2021, 9, 1))
# Planned dates never depend on today, so two runs on different days plan the same data.
CONSENT_DATE = datetime.datetime(2025, 9, 15, 9, 0, tzinfo=datetime.UTC)
SUPPORT_TIER_DATE = datetime.date(2025, 9, 1)
HISTORY_REASON = "Demo data (seed_demo)"

R = Region
# One block: ten trusts, each with a home region and a number of academies (125 in all).
BLOCK = [
    (R.NORTH_WEST, 20),
    (R.LONDON, 17),
    (R.SOUTH_EAST, 15),
    (R.WEST_MIDLANDS, 14),
    (R.YORKSHIRE, 13),
    (R.EAST, 12),
    (R.SOUTH_WEST, 11),
    (R.EAST_MIDLANDS, 10),
    (R.SOUTH_EAST, 7),
    (R.NORTH_EAST, 6),
]
PUPILS_PER_BLOCK = 110_000
MIN_PUPILS, MAX_PUPILS = 500, 1800
NEIGHBOURS = {
    R.NORTH_EAST: [R.YORKSHIRE, R.NORTH_WEST],
    R.NORTH_WEST: [R.YORKSHIRE, R.WEST_MIDLANDS, R.NORTH_EAST],
    R.YORKSHIRE: [R.NORTH_EAST, R.NORTH_WEST, R.EAST_MIDLANDS],
    R.EAST_MIDLANDS: [R.YORKSHIRE, R.WEST_MIDLANDS, R.EAST],
    R.WEST_MIDLANDS: [R.EAST_MIDLANDS, R.NORTH_WEST, R.SOUTH_WEST],
    R.EAST: [R.LONDON, R.EAST_MIDLANDS, R.SOUTH_EAST],
    R.LONDON: [R.SOUTH_EAST, R.EAST],
    R.SOUTH_EAST: [R.LONDON, R.SOUTH_WEST, R.EAST],
    R.SOUTH_WEST: [R.SOUTH_EAST, R.WEST_MIDLANDS],
}

C = CommunityType
# Real local authorities by region and by the kind of community they mostly serve.
LOCAL_AUTHORITIES = {
    R.NORTH_EAST: {
        C.INNER_CITY: ["Newcastle upon Tyne", "Middlesbrough"],
        C.URBAN: ["Gateshead", "Durham", "Stockton-on-Tees", "Darlington"],
        C.COASTAL: ["Sunderland", "South Tyneside", "Hartlepool", "Redcar and Cleveland"],
        C.RURAL: ["Northumberland", "Durham"],
    },
    R.NORTH_WEST: {
        C.INNER_CITY: ["Manchester", "Liverpool", "Salford"],
        C.URBAN: ["Bolton", "Oldham", "Wigan", "Stockport", "Rochdale", "Warrington"],
        C.COASTAL: ["Blackpool", "Sefton", "Wirral", "Cumberland"],
        C.RURAL: ["Lancashire", "Cheshire East", "Westmorland and Furness"],
    },
    R.YORKSHIRE: {
        C.INNER_CITY: ["Leeds", "Bradford", "Sheffield"],
        C.URBAN: ["Kirklees", "Wakefield", "Doncaster", "Calderdale", "Rotherham", "Barnsley"],
        C.COASTAL: ["Kingston upon Hull, City of", "North East Lincolnshire", "North Yorkshire"],
        C.RURAL: ["North Yorkshire", "East Riding of Yorkshire"],
    },
    R.EAST_MIDLANDS: {
        C.INNER_CITY: ["Nottingham", "Leicester", "Derby"],
        C.URBAN: ["Nottinghamshire", "Derbyshire", "North Northamptonshire", "West Northamptonshire"],
        C.COASTAL: ["Lincolnshire"],
        C.RURAL: ["Lincolnshire", "Leicestershire", "Rutland", "Derbyshire"],
    },
    R.WEST_MIDLANDS: {
        C.INNER_CITY: ["Birmingham", "Sandwell", "Wolverhampton", "Coventry"],
        C.URBAN: ["Dudley", "Walsall", "Stoke-on-Trent", "Solihull", "Telford and Wrekin"],
        C.RURAL: ["Shropshire", "Herefordshire, County of", "Worcestershire", "Staffordshire", "Warwickshire"],
    },
    R.EAST: {
        C.INNER_CITY: ["Luton", "Peterborough"],
        C.URBAN: ["Hertfordshire", "Bedford", "Thurrock", "Cambridgeshire", "Central Bedfordshire"],
        C.COASTAL: ["Norfolk", "Suffolk", "Essex", "Southend-on-Sea"],
        C.RURAL: ["Norfolk", "Suffolk", "Cambridgeshire", "Essex"],
    },
    R.LONDON: {
        C.INNER_CITY: ["Tower Hamlets", "Hackney", "Newham", "Southwark", "Lambeth", "Islington", "Lewisham"],
        C.URBAN: ["Croydon", "Barnet", "Ealing", "Brent", "Enfield", "Redbridge", "Bromley", "Hounslow"],
    },
    R.SOUTH_EAST: {
        C.INNER_CITY: ["Southampton", "Portsmouth", "Reading", "Slough"],
        C.URBAN: ["Surrey", "Milton Keynes", "Hampshire", "Buckinghamshire", "Bracknell Forest"],
        C.COASTAL: ["Kent", "Medway", "Brighton and Hove", "Isle of Wight", "East Sussex", "West Sussex"],
        C.RURAL: ["Oxfordshire", "West Berkshire", "Hampshire", "Kent", "West Sussex"],
    },
    R.SOUTH_WEST: {
        C.INNER_CITY: ["Bristol, City of", "Plymouth"],
        C.URBAN: ["Swindon", "Gloucestershire", "South Gloucestershire", "Bath and North East Somerset"],
        C.COASTAL: ["Cornwall", "Torbay", "Devon", "Bournemouth, Christchurch and Poole", "Dorset"],
        C.RURAL: ["Somerset", "Wiltshire", "Devon", "Cornwall", "Dorset"],
    },
}
COMMUNITY_WEIGHTS = {C.INNER_CITY: 18, C.URBAN: 45, C.COASTAL: 15, C.RURAL: 22}
LONDON_COMMUNITY_WEIGHTS = {C.INNER_CITY: 60, C.URBAN: 40}
URBAN_RURAL = {
    C.INNER_CITY: ["Urban major conurbation"],
    C.URBAN: ["Urban city and town", "Urban minor conurbation", "Urban major conurbation"],
    C.COASTAL: ["Urban city and town", "Rural town and fringe"],
    C.RURAL: ["Rural town and fringe", "Rural village", "Rural hamlet and isolated dwellings"],
}
# Mean % free school meals: higher in inner-city and coastal communities.
FSM_MEAN = {C.INNER_CITY: 36, C.URBAN: 24, C.COASTAL: 31, C.RURAL: 14}

TRUST_PREFIXES = {
    R.NORTH_EAST: ["Cheviot", "Wear Valley", "Tees Valley", "Northumbrian", "Derwent"],
    R.NORTH_WEST: ["Pennine", "Mersey Vale", "Ribble Valley", "Irwell", "Bowland", "Lune Valley"],
    R.YORKSHIRE: ["Dales", "Humber", "Aire Valley", "Ridings", "Calder Vale", "Wharfedale"],
    R.EAST_MIDLANDS: ["Sherwood", "Trent Valley", "Peak", "Soar Valley", "Wolds"],
    R.WEST_MIDLANDS: ["Mercia", "Arden", "Black Country", "Severn Valley", "Malvern"],
    R.EAST: ["Fenland", "Anglian", "Broadland", "Stour Valley", "Ouse Valley"],
    R.LONDON: ["Thames Gateway", "Lea Valley", "Wandle", "Capital Schools", "Docklands"],
    R.SOUTH_EAST: ["Weald", "Downland", "Solent", "Chiltern", "Medway Valley", "Kennet"],
    R.SOUTH_WEST: ["Wessex", "Tamar", "Exe Valley", "Cotswold Edge", "Mendip"],
}
TRUST_SUFFIXES = ["Learning Trust", "Academy Trust", "Education Trust", "Schools Trust", "Learning Partnership"]

ACADEMY_FIRST = [
    "Moor", "River", "High", "Oak", "Ash", "Elm", "Brook", "Church", "Castle", "Hill", "Lake", "Park",
    "Green", "Stone", "Thorn", "Wood", "Bay", "Cliff", "Fern", "Heath", "Mill", "Bridge", "Holly", "Beech",
    "Willow", "Kings", "Queens", "Hazel", "Marsh", "North", "South", "West", "East", "Orchard", "Copper",
    "Birch", "Cedar", "Raven", "Swan", "Meadow",
]  # fmt: skip
ACADEMY_SECOND = [
    "side", "field", "wood", "dale", "bank", "lands", "brook", "gate", "mount", "view", "ley", "hurst",
    "croft", "combe", "ford", "well", "moor", "hill", "wick", "ton",
]  # fmt: skip
ACADEMY_SUFFIXES = ["Academy", "Academy", "Academy", "School", "High School", "College", "Community Academy"]
SAINTS = ["Aidan", "Bede", "Hilda", "Chad", "Cuthbert", "Alban", "Wilfrid", "Anselm", "Edmund", "Oswald"]

FIRST_NAMES = [
    "Aisha", "Amelia", "Amir", "Anna", "Ben", "Bethan", "Callum", "Chloe", "Chidi", "Daniel", "Deepa",
    "Eleanor", "Ellie", "Emeka", "Farah", "Fiona", "George", "Grace", "Hannah", "Harvey", "Imran", "Isla",
    "Jack", "Jamal", "James", "Jasmine", "Joanna", "Kate", "Kwame", "Laura", "Leon", "Lucy", "Mariam",
    "Mark", "Megan", "Mohammed", "Naomi", "Niamh", "Oliver", "Olivia", "Owen", "Priya", "Rachel", "Rhys",
    "Rosa", "Ruth", "Sam", "Sana", "Sarah", "Simon", "Sophie", "Tariq", "Tom", "Tomasz", "Yasmin", "Zara",
    "Zoe", "Adam", "Catherine", "David", "Emma", "Helen", "Joseph", "Kieran", "Nadia", "Paul", "Ravi",
    "Siobhan", "Victoria", "Wei",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Ali", "Appleby", "Bailey", "Begum", "Bennett", "Brennan", "Campbell", "Chen", "Clarke",
    "Collins", "Davies", "Dawson", "Edwards", "Evans", "Fletcher", "Foster", "Gallagher", "Grant", "Green",
    "Hall", "Harris", "Hughes", "Hussain", "Iqbal", "Jackson", "James", "Jones", "Kaur", "Kelly", "Khan",
    "Kowalski", "Lewis", "Lloyd", "Malik", "Marsh", "Mensah", "Mitchell", "Morgan", "Murphy", "Nowak",
    "Okafor", "Osei", "Owen", "Palmer", "Parker", "Patel", "Price", "Quinn", "Reid", "Roberts", "Robinson",
    "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "Williams",
    "Wilson", "Wright", "Yusuf", "Adeyemi", "Baxter", "Doherty", "Fraser",
]  # fmt: skip

SLE = "Specialist Leader of Education (SLE)"
LEAD_PRACTITIONER = "Lead Practitioner"
AWARD = "Science teaching award winner"
CSCITEACH = "Chartered Science Teacher"
DESIGNATIONS = [SLE, LEAD_PRACTITIONER, AWARD, CSCITEACH]
TAGS = [
    "Practical work", "Required practicals", "Physics for non-specialists", "Literacy in science",
    "Disciplinary knowledge", "Curriculum design", "Assessment", "ECT mentoring", "Separate sciences",
    "Science capital", "SEND in science", "Oracy",
]  # fmt: skip
SPECIALISMS = ["biology", "chemistry", "physics"]

CLUSTERS = [
    ("Northern Cluster", R.NORTH_EAST, {R.NORTH_EAST, R.YORKSHIRE}),
    ("Pennine Cluster", R.NORTH_WEST, {R.NORTH_WEST}),
    ("Midlands Cluster", R.WEST_MIDLANDS, {R.WEST_MIDLANDS, R.EAST_MIDLANDS}),
    ("Thames Cluster", R.LONDON, {R.LONDON, R.SOUTH_EAST, R.EAST}),
    ("Wessex Cluster", R.SOUTH_WEST, {R.SOUTH_WEST}),
]
CURRICULUM_HUBS = [("Physics Curriculum Hub", "physics"), ("Chemistry Curriculum Hub", "chemistry"),
                   ("Biology Curriculum Hub", "biology")]  # fmt: skip

DEMO_USERS = [
    ("coordinator@demo.network", Role.COORDINATOR),
    ("ceo@demo.network", Role.TRUST_EXECUTIVE),
    ("leader@demo.network", Role.LEADER),
    ("visitor@demo.network", Role.VISITOR),
]


# -- The plan ---------------------------------------------------------------------------
