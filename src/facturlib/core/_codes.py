"""Code lists used across facturlib (UNTDID 1001, UNECE Rec 20 subset)."""

from __future__ import annotations

import enum

__all__ = [
    "ALLOWANCE_REASONS",
    "BILLING_FRAMEWORKS",
    "CHARGE_REASONS",
    "CHARGE_REASON_CODES",
    "EAS_CODES",
    "FR_DOCUMENT_TYPES",
    "NOTE_SUBJECT_CODES",
    "PAYMENT_MEANS_CODES",
    "REPORTING_CATEGORIES",
    "UNIT_CODES",
    "DocumentKind",
]


class DocumentKind(enum.Enum):
    """What a document is (EN 16931 BT-3, UNTDID 1001), DOMAIN.md §1.2.

    ``PROFORMA`` is not an invoice: it never gets a number and has no VAT or
    accounting effect; its `code` is ``None``.

    >>> DocumentKind.CREDIT_NOTE.code
    '381'
    >>> DocumentKind.from_code("386")
    <DocumentKind.DEPOSIT: 'deposit'>
    """

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEPOSIT = "deposit"
    CORRECTIVE = "corrective"
    PROFORMA = "proforma"

    @property
    def code(self) -> str | None:
        """The UNTDID 1001 code (BT-3), or ``None`` for a proforma."""
        return _KIND_CODES[self]

    @property
    def is_numbered(self) -> bool:
        """Whether documents of this kind take a number from an invoice series."""
        return self is not DocumentKind.PROFORMA

    @classmethod
    def from_code(cls, code: str) -> DocumentKind:
        """The kind for a UNTDID 1001 code (380, 381, 384, 386)."""
        for kind, kind_code in _KIND_CODES.items():
            if kind_code == code:
                return kind
        from facturlib.core.errors import InvalidValue

        raise InvalidValue(
            "unsupported document type code",
            field="kind",
            value=code,
            hint="use 380 (invoice), 381 (credit note), 384 (corrective) or 386 (deposit)",
        )


_KIND_CODES: dict[DocumentKind, str | None] = {
    DocumentKind.INVOICE: "380",
    DocumentKind.CREDIT_NOTE: "381",
    DocumentKind.DEPOSIT: "386",
    DocumentKind.CORRECTIVE: "384",
    DocumentKind.PROFORMA: None,
}

#: Common UNECE Recommendation 20 unit codes (BT-130), DOMAIN.md §13.3.
UNIT_CODES: dict[str, str] = {
    "C62": "unit",
    "H87": "piece",
    "HUR": "hour",
    "DAY": "day",
    "WEE": "week",
    "MON": "month",
    "ANN": "year",
    "KGM": "kilogram",
    "MTR": "metre",
    "LTR": "litre",
    "MTK": "square metre",
    "KMT": "kilometre",
    "SET": "set",
    "LS": "lump sum",
}

# --------------------------------------------------------------------- e-invoicing code lists
# Copied from the CEN EN 16931 validation artefacts 1.3.16 (BR-CL-08, -16, -19, -20, -25)
# and the FNFE-MPE BR-FR Flux 2 rules 1.4.0.04 (BR-FR-08, BR-FR-20).


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: CEF Electronic Address Scheme codes (BT-34-1 / BT-49-1, BR-CL-25).
EAS_CODES: frozenset[str] = _codes(
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 "
    "0177 0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 "
    "0204 0205 0208 0209 0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 "
    "0235 0240 0242 0244 0245 0246 0248 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 "
    "9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941 "
    "9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 AN AQ AS AU EM"
)

#: UNTDID 4461 payment means codes admitted by EN 16931 (BT-81, BR-CL-16).
PAYMENT_MEANS_CODES: frozenset[str] = _codes(
    " ".join(str(n) for n in (*range(1, 71), 74, 75, 76, 77, 78, 91, 92, 93, 94, 95, 96, 97, 98))
    + " ZZZ"
)

#: UNTDID 4451 text subject codes admitted by EN 16931 (BT-21, BR-CL-08).
NOTE_SUBJECT_CODES: frozenset[str] = _codes(
    "AAA AAB AAC AAD AAE AAF AAG AAI AAJ AAK AAL AAM AAN AAO AAP AAQ AAR AAS AAT AAU AAV AAW "
    "AAX AAY AAZ ABA ABB ABC ABD ABE ABF ABG ABH ABI ABJ ABK ABL ABM ABN ABO ABP ABQ ABR ABS "
    "ABT ABU ABV ABW ABX ABZ ACA ACB ACC ACD ACE ACF ACG ACH ACI ACJ ACK ACL ACM ACN ACO ACP "
    "ACQ ACR ACS ACT ACU ACV ACW ACX ACY ACZ ADA ADB ADC ADD ADE ADF ADG ADH ADI ADJ ADK ADL "
    "ADM ADN ADO ADP ADQ ADR ADS ADT ADU ADV ADW ADX ADY ADZ AEA AEB AEC AED AEE AEF AEG AEH "
    "AEI AEJ AEK AEL AEM AEN AEO AEP AEQ AER AES AET AEU AEV AEW AEX AEY AEZ AFA AFB AFC AFD "
    "AFE AFF AFG AFH AFI AFJ AFK AFL AFM AFN AFO AFP AFQ AFR AFS AFT AFU AFV AFW AFX AFY AFZ "
    "AGA AGB AGC AGD AGE AGF AGG AGH AGI AGJ AGK AGL AGM AGN AGO AGP AGQ AGR AGS AGT AGU AGV "
    "AGW AGX AGY AGZ AHA AHB AHC AHD AHE AHF AHG AHH AHI AHJ AHK AHL AHM AHN AHO AHP AHQ AHR "
    "AHS AHT AHU AHV AHW AHX AHY AHZ AIA AIB AIC AID AIE AIF AIG AIH AII AIJ AIK AIL AIM AIN "
    "AIO AIP AIQ AIR AIS AIT AIU AIV AIW AIX AIY AIZ AJA AJB ALC ALD ALE ALF ALG ALH ALI ALJ "
    "ALK ALL ALM ALN ALO ALP ALQ ARR ARS AUT AUU AUV AUW AUX AUY AUZ AVA AVB AVC AVD AVE AVF "
    "BAG BAH BAI BAJ BAK BAL BAM BAN BAO BAP BAQ BAR BAS BAT BAU BAV BAW BAX BAY BAZ BBA BBB "
    "BLC BLD BLE BLF BLG BLH BLI BLJ BLK BLL BLM BLN BLO BLP BLQ BLR BLS BLT BLU BLV BLW BLX "
    "BLY BLZ BMA BMB BMC BMD BME BMF BMG BMH CCI CCJ CCK CCL CCM CCN CCO CEX CHG CIP CLP CLR "
    "COI CUR CUS DAR DCL DEL DIN DOC DUT EUR FBC GBL GEN GS7 HAN HAZ ICN IIN IMI IND INS INV "
    "IRP ITR ITS LAN LIN LOI MCO MDH MKS ORI OSI PAC PAI PAY PKG PKT PMD PMT PRD PRF PRI PUR "
    "QIN QQD QUT RAH REG RET REV RQR SAF SIC SIN SLR SPA SPG SPH SPP SPT SRN SSR SUR TCA TDT "
    "TRA TRR TXD WHI ZZZ"
)

#: UNTDID 5189 allowance reason codes admitted by EN 16931 (BT-98 / BT-140, BR-CL-19),
#: with their official names.
ALLOWANCE_REASONS: dict[str, str] = {
    "41": "Bonus for works ahead of schedule",
    "42": "Other bonus",
    "60": "Manufacturer's consumer discount",
    "62": "Due to military status",
    "63": "Due to work accident",
    "64": "Special agreement",
    "65": "Production error discount",
    "66": "New outlet discount",
    "67": "Sample discount",
    "68": "End-of-range discount",
    "70": "Incoterm discount",
    "71": "Point of sales threshold allowance",
    "88": "Material surcharge/deduction",
    "95": "Discount",
    "100": "Special rebate",
    "102": "Fixed long term",
    "103": "Temporary",
    "104": "Standard",
    "105": "Yearly turnover",
}

#: UNTDID 7161 charge reason codes admitted by EN 16931 (BT-105 / BT-145, BR-CL-20).
CHARGE_REASON_CODES: frozenset[str] = _codes(
    "AA AAA AAC AAD AAE AAF AAH AAI AAS AAT AAV AAY AAZ ABA ABB ABC ABD ABF ABK ABL ABN ABR "
    "ABS ABT ABU ACF ACG ACH ACI ACJ ACK ACL ACM ACS ADC ADE ADJ ADK ADL ADM ADN ADO ADP ADQ "
    "ADR ADT ADW ADY ADZ AEA AEB AEC AED AEF AEH AEI AEJ AEK AEL AEM AEN AEO AEP AES AET AEU "
    "AEV AEW AEX AEY AEZ AJ AU CA CAB CAD CAE CAF CAI CAJ CAK CAL CAM CAN CAO CAP CAQ CAR CAS "
    "CAT CAU CAV CAW CAX CAY CAZ CD CG CS CT DAB DAD DAC DAF DAG DAH DAI DAJ DAK DAL DAM DAN "
    "DAO DAP DAQ DL EG EP ER FAA FAB FAC FC FH FI GAA HAA HD HH IAA IAB ID IF IR IS KO L1 LA "
    "LAA LAB LF MAE MI ML NAA OA PA PAA PC PL PRV RAB RAC RAD RAF RE RF RH RV SA SAA SAD SAE "
    "SAI SG SH SM SU TAB TAC TT TV V1 V2 WH XAA YY ZZZ"
)

#: Names of the common UNTDID 7161 charge codes (the others are named by their code).
CHARGE_REASONS: dict[str, str] = {
    "AA": "Advertising",
    "AAA": "Telecommunication",
    "ABK": "Miscellaneous",
    "ABL": "Additional packaging",
    "ADR": "Other services",
    "AEO": "Collection and recycling",
    "FC": "Freight service",
    "FI": "Financing",
    "HD": "Handling",
    "PC": "Packing",
    "SAA": "Shipping and handling",
    "TV": "Transportation by road",
    "ZZZ": "Mutually defined",
}

#: BT-23 "cadre de facturation" values admitted by the French rules (BR-FR-08).
BILLING_FRAMEWORKS: frozenset[str] = _codes(
    "B1 S1 M1 B2 S2 M2 S3 B4 S4 M4 S5 S6 B7 S7 B8 S8 M8 B9 S9 M9"
)

#: Values of the ``BAR`` note, the treatment of the invoice (BR-FR-20).
REPORTING_CATEGORIES: frozenset[str] = _codes("B2B B2BINT B2C B2CINT OUTOFSCOPE ARCHIVEONLY")

#: Document type codes (BT-3) admitted by the French rules (BR-FR-04).
FR_DOCUMENT_TYPES: frozenset[str] = _codes(
    "380 389 393 501 386 500 384 471 472 473 261 262 381 396 502 503"
)
