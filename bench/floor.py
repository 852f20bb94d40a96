"""The pure-Python floor: the shipped rules of ``invoices.create`` written out by hand as plain
code, with no ixrules import, for the benchmark's "floor" row (issue 26, item 6).

It shows what the language itself costs for the same work, so the gap between the generated
code and hand-written Python stays visible. ``tests/test_floor.py`` holds it to
``ixrules.validate(body, "invoices.create")`` (no context, English): the same issues in the same
order, with the same messages, paths, rule ids and severities.

:func:`validate` answers a list of ``(severity, path, rule, message)`` for the bodies it is
written for (every field of ``invoices.create``, as text or JSON numbers, and their common
mistakes: a due date before the date, a missing client or items, a client that is no object,
items that are no array or empty, an address without ``@``, a NIF with a wrong check digit, a
quantity not above 0, a price not a number or negative, a unit outside the list, a discount or
a retention out of shape, a line's missing name, quantity or price, a line's tax value or
exemption code the API does not read), and None for a body beyond them ("not handled": unknown
keys, other spellings of a country, dates and numbers in the rarer shapes the API also reads,
unusual addresses, most warnings). A None is never a guess. Its valid path for a document line
is one chain of exact type and shape tests; the ordered code runs only for a line it cannot
prove clean, as ixrules' generated code does. It is run with no context, as the bench does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

Found = tuple[str, str, str, str]  # (severity, path, rule id, message)

DOCUMENT_KEYS = frozenset(
    {
        *("date", "due_date", "reference", "observations", "retention", "client", "items"),
        *("tax_exemption", "tax_exemption_reason", "sequence_id", "owner_invoice_id"),
        *("manual_sequence_number", "plugin_id", "currency_code", "mb_reference", "rate"),
        "global_discount",
    }
)
#: The fields of a document taken as text, and those taken as a whole number.
TEXT_KEYS = frozenset({"reference", "observations", "manual_sequence_number", "plugin_id"})
INTEGER_KEYS = frozenset({"sequence_id", "owner_invoice_id"})
#: The exemption codes (compared without case) and the currencies (with case) the API takes.
EXEMPTIONS = frozenset(
    {
        *(f"m{code:02}" for code in (*range(17), 19, 20, 21, 25, 26, *range(30, 35))),
        *(f"m{code:02}" for code in (*range(40, 47), 99)),
    }
)
CURRENCY_CODES = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP "
    "BYR BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EEK EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LVL LYD MAD MDL MGA MKD MMK MNT "
    "MOP MRO MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PEN PGK PHP PKR PLN PYG QAR RON "
    "RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLL SOS SRD STN SYP SZL THB TJS TMT TND TOP TRY TTD "
    "TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL "
)
CURRENCIES = frozenset(CURRENCY_CODES.split())
#: The API's own 251 country names, as it spells them (any other spelling: not handled).
COUNTRY_NAMES = (
    "Portugal|Ireland|UK|Canada|United States|Afghanistan|Albania|Algeria|American Samoa|"
    "Andorra|Angola|Anguilla|Antigua and Barbuda|Argentina|Armenia|Aruba|Australia|Austria|"
    "Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bermuda|"
    "Bhutan|Bolivia|Bosnia-Herzegovina|Botswana|Brazil|British Indian Ocean Territory|Brunei|"
    "Bulgaria|Burkina Faso|Burma|Burundi|Cambodia|Cameroon|Canton and Enderbury Islands|"
    "Cape Verde|Cayman Islands|Central African Republic|Chad|Chile|China|Christmas Island|"
    "Cocos (Keeling) Islands|Colombia|Comoros|Congo|Congo, Democratic Republic|Cook Islands|"
    "Costa Rica|Côte d\u2019Ivoire|Croatia|Cuba|Curaçao|Cyprus|Czech Republic|Denmark|Djibouti|"
    "Dominica|Dominican Republic|Dronning Maud Land|East Timor|Ecuador|Egypt|El Salvador|"
    "Equatorial Guinea|Eritrea|Estonia|Ethiopia|Faeroe Islands (Føroyar)|Falkland Islands|"
    "Fiji|Finland|France|French Guiana|French Polynesia|Gabon|Gambia|Georgia|Germany|Ghana|"
    "Gibraltar|Great Britain|Greece|Greenland|Grenada|Guadeloupe|Guam|Guatemala|Guernsey|"
    "Guinea-Bissau|Guinea|Guyana|Haiti|Heard and McDonald Islands|Honduras|Hong Kong|Hungary|"
    "Iceland|India|Indonesia|International Monetary Fund|Iran|Iraq|Isle of Man|Israel|Italy|"
    "Ivory Coast|Jamaica|Japan|Jersey|Johnston Island|Jordan|Kampuchea|Kazakhstan|Kenya|"
    "Kiribati|Korea, North|Korea, South|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|"
    "Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Macau|Macedonia (Former Yug. Rep.)|"
    "Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Martinique|Mauritania|"
    "Mauritius|Mayotte|Micronesia|Midway Islands|Mexico|Moldova|Monaco|Mongolia|Montenegro|"
    "Montserrat|Morocco|Mozambique|Myanmar|Nauru|Namibia|Nepal|Netherlands Antilles|"
    "Netherlands|New Caledonia|New Zealand|Nicaragua|Niger|Nigeria|Niue|Norfolk Island|"
    "Northern Mariana Islands|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|"
    "Paraguay|Peru|Philippines|Pitcairn Island|Poland|Puerto Rico|Qatar|Reunion|Romania|"
    "Russia|Rwanda|Samoa (Western)|Samoa (America)|San Marino|São Tomé and Príncipe|"
    "Saudi Arabia|Sénégal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|"
    "Solomon Islands|Somalia|South Africa|Spain|Sri Lanka|St. Helena|St. Kitts and Nevis|"
    "St. Lucia|St. Vincent and the Grenadines|Sudan|Suriname|Svalbard and Jan Mayen Islands|"
    "Swaziland|Sweden|Switzerland|Syria|Tahiti|Taiwan|Tajikistan|Tanzania|Thailand|"
    "Timor-Leste|Togo|Trinidad and Tobago|Tunisia|Turkey|Turkmenistan|"
    "Turks and Caicos Islands|Tuvalu|Uganda|Ukraine|United Arab Emirates|Upper Volta|Uruguay|"
    "Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Virgin Islands|Wake Island|"
    "Wallis and Futuna Islands|Western Sahara|Western Samoa|Yemen|Zaïre|Zambia|Zimbabwe"
)
COUNTRIES = frozenset(COUNTRY_NAMES.split("|"))
#: The client's fields: all text (website, phone, fax and observations only that).
CLIENT_KEYS = frozenset(
    {
        *("name", "code", "email", "address", "city", "postal_code", "country", "fiscal_id"),
        *("website", "phone", "fax", "observations"),
    }
)
LINE_KEYS = frozenset(
    {"name", "description", "unit_price", "quantity", "unit", "discount", "tax", "tax_exemption"}
)
UNITS = frozenset({"service", "unit", "hour", "day", "month", "other"})
#: Characters a Ruby ``Float()`` text may hold (ASCII digits only): a text with any other one
#: is certainly not a number.
NUMBER_CHARS = frozenset("0123456789+-._eE \t\r\n")
DIGITS = frozenset("0123456789")
LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._+-")
LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
#: Top-level domains an address may end in here (any other: not handled).
TLDS = frozenset({"com", "pt", "org", "net", "es", "eu", "io", "fr", "de"})

NOT_HANDLED = object()
TEXT = (str, int, float)  # what a text field takes (a JSON number is written as text)


def absent(value: Any) -> bool:
    """Clients send null for an unset field and false for an empty one: both are absent."""
    return value is None or value is False


def number(value: Any) -> Any:
    """The float of a JSON number or a plain numeric text (``"3"``, ``"1.50"``); None when it is
    certainly not a number; :data:`NOT_HANDLED` for the other shapes Ruby reads."""
    kind = type(value)
    if kind is str:
        if not value or len(value) > 256:  # Ruby reads no digit here; ixrules no long text
            return None
        whole, dot, fraction = value.partition(".")
        plain = whole and DIGITS.issuperset(whole) and DIGITS.issuperset(fraction)
        if plain and (fraction or not dot):  # "3", "1.50"; never "1."
            return float(value)
        return NOT_HANDLED if NUMBER_CHARS.issuperset(value) else None
    if kind is int:
        return float(value) if -(10**15) < value < 10**15 else NOT_HANDLED
    if kind is float:
        return value if value - value == 0.0 else None  # finite
    return NOT_HANDLED


def date(value: Any) -> Any:
    """The date of a ``dd/mm/yyyy`` text; :data:`NOT_HANDLED` for anything else."""
    if type(value) is not str:
        return NOT_HANDLED
    parts = value.split("/")
    if len(parts) != 3:
        return NOT_HANDLED
    day, month, year = parts
    if not (
        0 < len(day) < 3
        and 0 < len(month) < 3
        and len(year) == 4
        and DIGITS.issuperset(value.replace("/", ""))
    ):
        return NOT_HANDLED
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return NOT_HANDLED


def email_ok(value: str) -> bool | None:
    """True for a plain lower-case ASCII address, False for a text without ``@``, else None."""
    if "@" not in value:
        return not value.strip()  # blank is allowed; any other text is no address
    local, _, domain = value.partition("@")
    if not (0 < len(local) <= 64 and len(domain) <= 100 and LOCAL_CHARS.issuperset(local)):
        return None
    if local[0] == "." or local[-1] == "." or ".." in local:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1] not in TLDS:
        return None
    for label in labels:
        if not label or not LABEL_CHARS.issuperset(label) or label[0] == "-" or label[-1] == "-":
            return None
    return True


def nif_ok(value: str) -> bool | None:
    """The verdict on nine ASCII digits (the first not 0, the last the mod-11 check digit of the
    others); None for any other text."""
    if len(value) != 9 or not DIGITS.issuperset(value):
        return None
    if value[0] == "0":
        return False
    total = sum((9 - index) * int(digit) for index, digit in enumerate(value[:8]))
    return (11 - total) % 11 % 10 == int(value[8])


def validate(body: Any) -> list[Found] | None:
    """The issues of ``body`` for ``invoices.create``, or None when it is beyond this floor."""
    if type(body) is not dict or len(body) != 1 or type(body.get("invoice")) is not dict:
        return None
    doc = body["invoice"]
    if not DOCUMENT_KEYS.issuperset(doc):
        return None
    found: list[Found] = []
    first = None if absent(doc.get("date")) else date(doc["date"])
    second = None if absent(doc.get("due_date")) else date(doc["due_date"])
    if first is NOT_HANDLED or second is NOT_HANDLED:
        return None
    if first is not None and second is not None and second < first:
        found.append(
            ("error", "/invoice/due_date", "document.due_date.after_date", DUE_DATE_MESSAGE)
        )
    if absent(doc.get("client")):
        found.append(("error", "/invoice/client", "document.client.required", NO_CLIENT))
    if absent(doc.get("items")):
        found.append(("error", "/invoice/items", "document.items.required", NO_ITEM))
    for key, value in doc.items():
        if absent(value):
            continue
        if key == "client":
            if type(value) is dict:
                more = client(value)
            else:
                more = [("error", "/invoice/client", "document.client.object", CLIENT_INVALID)]
        elif key == "items":
            if type(value) is not list:
                more = [("error", "/invoice/items", "document.items.array", NOT_ARRAY)]
            elif not value:
                more = [("error", "/invoice/items", "document.items.not_empty", NO_ITEM)]
            else:
                more = lines(value)
        elif key == "retention":
            more = retention(value)
        elif key == "date" or key == "due_date":  # read above
            continue
        elif not quiet(key, value):
            return None
        else:
            continue
        if more is None:
            return None
        found.extend(more)
    return found


DUE_DATE_MESSAGE = "Due date must be later than date"
CLIENT_INVALID = "Client is invalid"
NO_CLIENT = "Client can't be blank"
NO_ITEM = "Document should have at least one item"
NOT_ARRAY = "Items element should be of type array"


def quiet(key: str, value: Any) -> bool:
    """True when the document's ``key`` (one of the fields without a check of their own here)
    has nothing to report; False: beyond the floor (it may or may not be wrong)."""
    kind = type(value)
    if key in TEXT_KEYS:
        return kind in TEXT
    if key in INTEGER_KEYS:
        if kind is str:
            text = value.strip()
            return not text or (len(text) <= 256 and text.isascii() and text.isdigit())
        return kind is int
    if key == "tax_exemption" or key == "tax_exemption_reason":
        return kind is str and (not value.strip() or value.casefold() in EXEMPTIONS)
    if key == "currency_code":
        return kind is str and (not value.strip() or value in CURRENCIES)
    if key == "mb_reference":
        return kind is str and value.strip() in ("", "0", "1")  # "1" asks a context: none here
    if key == "rate":
        return readable(value)
    if key == "global_discount":
        if kind is not dict or not {"value_type", "value"}.issuperset(value):
            return False
        value_type, amount = value.get("value_type"), value.get("value")
        if not (absent(value_type) or value_type in ("absolute", "percentage")):
            return False
        return absent(amount) or readable(amount)
    return False


def readable(value: Any) -> bool:
    """A blank text or a number the floor reads (a JSON number, ``3``, ``1.50``)."""
    if type(value) is str and not value.strip():
        return True
    x = number(value)
    return x is not None and x is not NOT_HANDLED


def retention(value: Any) -> list[Found] | None:
    if type(value) is str and not value.strip():
        return []
    x = number(value)
    if x is NOT_HANDLED:
        return None
    if x is not None and 0 <= x <= 99.99:
        return []
    return [
        (
            "error",
            "/invoice/retention",
            "document.retention.range",
            "Retention must be a number between 0 and 99.99",
        )
    ]


def client(value: dict[Any, Any]) -> list[Found] | None:
    if not CLIENT_KEYS.issuperset(value):
        return None
    value = {key: text for key, text in value.items() if not absent(text)}
    for text in value.values():
        if type(text) not in TEXT:
            return None
    name = value.get("name")
    if type(name) is not str or not name.strip() or len(name) > 100:
        return None
    country = value.get("country")
    if country is not None and country not in COUNTRIES:
        return None
    fiscal_id = value.get("fiscal_id")
    email = value.get("email")
    if email is not None and type(email) is not str:
        return None
    found: list[Found] = []
    portuguese = country is None or country == "Portugal"  # another's number is not checked
    if portuguese and fiscal_id is not None:
        if type(fiscal_id) is not str:
            return None
        verdict = nif_ok(fiscal_id) if fiscal_id.strip() else True
        if verdict is None:
            return None
        if not verdict:
            found.append(
                ("error", "/invoice/client/fiscal_id", "client.fiscal_id.nif", "Fiscal is invalid")
            )
    if email is not None:
        verdict = email_ok(email)
        if verdict is None:
            return None
        if not verdict:
            found.append(
                (
                    "error",
                    "/invoice/client/email",
                    "client.email.valid",
                    "Email must be an email address",
                )
            )
    mark(found, ("error", "/invoice/client", "document.client.invalid", CLIENT_INVALID))
    return found


def plain_number(value: Any) -> float | None:
    """The float of a text written ``3`` or ``1.50`` (ASCII digits), else None: the shapes the
    fast path takes; anything else goes to the ordered code."""
    if type(value) is str and len(value) <= 256 and value.isascii():
        if value.isdigit():
            return float(value)
        whole, _, fraction = value.partition(".")
        if whole.isdigit() and fraction.isdigit():  # "1.50" (never "1." nor "1.2.3")
            return float(value)
    return None


def clean_line(line: Any) -> bool:
    """True when a document line has nothing to report, proved by exact type and shape tests
    in one pass (the commonest shapes tested inline); False sends it to the ordered code,
    which finds its issues (or gives up)."""
    if type(line) is not dict or not LINE_KEYS.issuperset(line):
        return False
    get = line.get
    name = get("name")
    if type(name) is not str or not name.strip():
        return False
    quantity = get("quantity")
    if not (
        type(quantity) is str
        and quantity.isdigit()
        and quantity.isascii()
        and len(quantity) <= 256
        and quantity.strip("0")  # digits, not all zeros: above 0
    ):
        number = plain_number(quantity)
        if number is None or number <= 0:
            return False
    if plain_number(get("unit_price")) is None:
        return False  # a plain price is never negative
    unit = get("unit")
    if unit is not None and not (type(unit) is str and (unit in UNITS or unit.casefold() in UNITS)):
        return False
    discount = get("discount")
    plain_discount = (
        type(discount) is str and discount.isdigit() and discount.isascii() and len(discount) <= 256
    )
    if discount is not None and not plain_discount and plain_number(discount) is None:
        return False
    description = get("description")
    if description is not None and type(description) is not str:
        return False
    tax = get("tax")
    if tax is None:
        return True
    return type(tax) is dict and len(tax) == 1 and type(tax.get("name")) is str


def lines(value: list[Any]) -> list[Found] | None:
    for line in value:
        if not clean_line(line):
            break
    else:
        return []
    found: list[Found] = []
    for index, line in enumerate(value):
        if absent(line):
            continue
        if type(line) is not dict or not LINE_KEYS.issuperset(line):
            return None
        more = document_line(line, f"/invoice/items/{index}")
        if more is None:
            return None
        found.extend(more)
    mark(found, ("error", "/invoice/items", "document.items.invalid", "Invoice items is invalid"))
    return found


def mark(found: list[Found], invalid: Found) -> None:
    """Put a container's "... is invalid" error just before the first error inside it (none
    when only warnings were found there)."""
    for index, issue in enumerate(found):
        if issue[0] == "error":
            found.insert(index, invalid)
            return


REQUIRED = (
    ("name", "document.item.name.required", "Name is a required field"),
    ("quantity", "item.quantity.positive", "Quantity must be a number greater than 0"),
    ("unit_price", "item.unit_price.number", "Unit price must be a number"),
)


def document_line(line: dict[Any, Any], at: str) -> list[Found] | None:
    found: list[Found] = []
    for key, rule, message in REQUIRED:
        if absent(line.get(key)):
            found.append(("error", f"{at}/{key}", rule, message))
    for key, value in line.items():
        if absent(value):
            continue
        if key == "description" or key == "name":
            if type(value) not in TEXT or (type(value) is str and not value.strip()):
                return None
        elif key == "unit":
            if type(value) is not str:
                return None
            if value.casefold() not in UNITS:
                if not value.strip() or len(value) > 64 or not value.isprintable():
                    return None
                found.append(
                    (
                        "error",
                        f"{at}/unit",
                        "item.unit.accepted",
                        f"Unit {value} is not included in the list of accepted units",
                    )
                )
        elif key == "quantity":
            x = number(value)
            if x is NOT_HANDLED:
                return None
            if x is None or x <= 0:
                found.append(("error", f"{at}/quantity", *REQUIRED[1][1:]))
        elif key == "unit_price":
            x = number(value)
            if x is NOT_HANDLED:
                return None
            if x is None:
                found.append(("error", f"{at}/unit_price", *REQUIRED[2][1:]))
            elif x < 0:
                found.append(
                    (
                        "error",
                        f"{at}/unit_price",
                        "item.unit_price.positive",
                        "Item price must be positive",
                    )
                )
        elif key == "discount":
            if type(value) is str and not value.strip():
                continue
            x = number(value)
            if x is NOT_HANDLED:
                return None
            if x is None:
                found.append(
                    ("error", f"{at}/discount", "item.discount.number", "Discount is not a number")
                )
        elif key == "tax_exemption":
            if type(value) is not str or not (not value.strip() or value.casefold() in EXEMPTIONS):
                return None
        else:
            more = tax(value, f"{at}/tax")
            if more is None:
                return None
            found.extend(more)
    return found


#: A line's tax fields the API does not read: (rule id, message before and after the value).
UNREAD = {
    "value": (
        "item.tax.value.unread",
        "Tax value ",
        " is not known to be read: a line's rate is that of the account's tax it names",
    ),
    "exemption_code": (
        "item.tax.exemption_code.ignored",
        "Tax exemption code ",
        " is ignored here: a line's exemption code goes in its tax_exemption",
    ),
}


def tax(value: Any, at: str) -> list[Found] | None:
    """A line's tax: its name (the account's tax of that name applies) and the warnings of the
    fields the API does not read there."""
    if type(value) is not dict or not {"name", "value", "exemption_code"}.issuperset(value):
        return None
    found: list[Found] = []
    for key, field in value.items():
        if absent(field):
            continue
        if key == "name":
            if type(field) not in TEXT:
                return None
            continue
        kind = type(field)
        if kind is str and not field.strip():
            continue
        if kind is int and -(10**15) < field < 10**15:
            shown = str(field)
        elif kind is str and len(field) <= 64 and field.isprintable():
            shown = field
        else:
            return None
        rule, before, after = UNREAD[key]
        found.append(("warning", f"{at}/{key}", rule, before + shown + after))
    return found
