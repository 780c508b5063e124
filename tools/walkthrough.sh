#!/usr/bin/env bash
# The command-line walkthrough: on a fresh SQLite database in a temporary folder, with a real SMTP sink
# (aiosmtpd) taking the mail, deploy processes/ and drive one pass of each of the eight processes to its
# end as the demo users, then verify every history chain.
#
#   tools/walkthrough.sh          work in a temporary folder, removed at the end
#   tools/walkthrough.sh DIR      work in DIR (created; must be empty) and keep it: nezarat.db,
#                                 attachments/, smtp.log (the mail as the SMTP sink received it)
#
# The form data and the order of the steps are those of the happy paths in tests/scenarios/. Every step
# runs `python run.py …`; the script stops at the first refusal and exits non-zero. Environment:
# PYTHON (default .venv/bin/python). Inherited NEZARAT_* settings are dropped so every run is the same.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-$ROOT/.venv/bin/python}
[[ -x $PY ]] || PY=$(command -v python3)

if [[ $# -gt 0 ]]; then
  WORK=$1
  mkdir -p "$WORK"
  [[ -z $(ls -A "$WORK") ]] || { echo "walkthrough: $WORK is not empty" >&2; exit 2; }
  WORK=$(cd "$WORK" && pwd)
  KEEP=1
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/nezarat-walkthrough.XXXXXX")
  KEEP=0
fi

SMTP_PID=""
cleanup() {
  if [[ -n $SMTP_PID ]]; then kill "$SMTP_PID" 2>/dev/null || true; wait "$SMTP_PID" 2>/dev/null || true; fi
  if [[ $KEEP == 0 ]]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

ID=""      # the instance being driven
KEY_PASSWORD=""
STEP=""    # the step being run, named when it fails
DONE=()    # "process_key instance_id" of every instance that reached its end
on_error() {
  echo "walkthrough FAILED at: ${STEP:-setup}" >&2
  if [[ -n $ID ]]; then nz show "$ID" >&2 || true; fi
}
trap on_error ERR

# -- helpers -------------------------------------------------------------------------------------

nz() { "$PY" "$ROOT/run.py" "$@"; }

title() { printf '\n== %s\n' "$*"; }

begin() {  # begin PROCESS_KEY USER: start an instance; its id goes to $ID
  STEP="start $1 as $2"
  ID=$(nz start "$1" --as "$2" --quiet)
  printf '  %-22s %-20s %s\n' "$2" "(start)" "instance $ID"
}

act() {  # act USER ELEMENT JSON "فارسی / English" [OPTION…]: complete USER's open ELEMENT task of $ID
  STEP="$2 as $1"
  printf '  %-22s %-20s %s\n' "$1" "$2" "$4"
  nz complete --instance "$ID" --element "$2" --as "$1" --data "$3" "${@:5}" >/dev/null
}

sign() {  # sign USER ELEMENT JSON LABEL: act on a signature step, signing with USER's demo key
  act "$1" "$2" "$3" "$4 ✍" --sign-with "$WORK/pki/users/$1.p12" --key-password "$KEY_PASSWORD"
}

holder() {  # holder ELEMENT DEFAULT: the assignee of $ID's open ELEMENT task (DEFAULT for a pool task)
  nz show "$ID" --json | "$PY" -c '
import json, sys
held = [t["assignee"] for t in json.load(sys.stdin)["open_tasks"] if t["element_id"] == sys.argv[1]]
if not held:
    sys.exit(f"walkthrough: the instance has no open {sys.argv[1]} task")
print(held[0] or sys.argv[2])' "$1" "$2"
}

act_held() {  # act_held DEFAULT ELEMENT JSON LABEL: act as the one a referral policy gave ELEMENT to
  local who
  who=$(holder "$2" "$1")
  act "$who" "$2" "$3" "$4"
}

task_ids() {  # task_ids USER ELEMENT: ids of USER's open ELEMENT tasks of $ID (parallel ones)
  nz tasks --as "$1" --instance "$ID" --json | "$PY" -c '
import json, sys
print("\n".join(t["id"] for t in json.load(sys.stdin) if t["element_id"] == sys.argv[1]))' "$2"
}

attach() {  # attach NAME USER: store a small PDF called NAME, print its ref
  local file="$WORK/files/$1"
  mkdir -p "$WORK/files"
  printf '%s\n' '%PDF-1.4' "% $1" '1 0 obj <<>> endobj' 'trailer <<>>' '%%EOF' >"$file"
  nz attach "$file" --as "$2"
}

finish() {  # finish PROCESS_KEY: $ID must have reached its end, with no incident
  STEP="$1 finishes"
  local state
  state=$(nz show "$ID" --json | "$PY" -c '
import json, sys
view = json.load(sys.stdin)
print(view["status"] if view["incident"] is None else "incident " + json.dumps(view["incident"]))')
  if [[ $state != completed ]]; then
    echo "walkthrough: $1 ($ID) is $state, not completed" >&2
    return 1
  fi
  DONE+=("$1 $ID")
  printf '  => %s completed\n' "$1"
}

# -- setup ---------------------------------------------------------------------------------------

setup() {
  while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^NEZARAT_' || true)
  local port
  port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$PY" -u -m aiosmtpd -n -l "127.0.0.1:$port" >"$WORK/smtp.log" 2>&1 &
  SMTP_PID=$!
  local tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if ((tries > 100)); then echo "walkthrough: the SMTP sink did not start" >&2; return 1; fi
    sleep 0.1
  done
  export NEZARAT_DATABASE_URL="sqlite:///$WORK/nezarat.db" NEZARAT_DATA_DIR="$WORK"
  export NEZARAT_SMTP_HOST=127.0.0.1 NEZARAT_SMTP_PORT=$port
  title "setup — راه‌اندازی: $WORK, SMTP sink on port $port"
  STEP="init-db --demo"
  local loaded
  loaded=$(nz init-db --demo)
  printf '%s\n' "$loaded"
  # init-db --demo also writes the demo CA and a signing key per user (DATA_DIR/pki/users/<user>.p12).
  KEY_PASSWORD=$(sed -n 's/^demo signing keys: .*(password \(.*\)); trust: .*$/\1/p' <<<"$loaded")
  [[ -n $KEY_PASSWORD ]] || { echo "walkthrough: init-db --demo named no signing-key password" >&2; return 1; }
  STEP="deploy processes/"
  nz deploy processes/
}

# -- the eight processes -------------------------------------------------------------------------

budget_oversight() {
  title "1/8 budget_oversight — نظارت بر بودجهٔ شهرداری‌ها / municipal budget oversight"
  # The demo budget of muni-a for 1405 (engine/budget/demo.py), in the draft form's shape.
  "$PY" -c '
import json, sys
from engine.budget.demo import demo_budget
b = demo_budget("muni-a")
draft = {"resources": b["resources"], "uses": b["uses"], "explanation": "بودجهٔ پیشنهادی ۱۴۰۵"}
json.dump(draft, sys.stdout, ensure_ascii=False)' >"$WORK/draft.json"
  begin budget_oversight expert_1
  act expert_1 circular '{"fiscal_year": 1405, "circular": "1405", "submission_deadline": "1404/10/15", "municipalities": [{"unit": "muni-a"}]}' \
    "ابلاغ بخشنامه / the circular goes out to muni-a"
  act budget_a draft "@$WORK/draft.json" "پیش‌نویس بودجه / the draft passes the system check"
  act mayor_a submit '{"bill_no": "muni-a/ب/۱۲", "bill_date": "1404/10/10"}' "تقدیم لایحه / the mayor submits the bill"
  sign council_chair_a council_approve '{"council_decision": "approved", "resolution_no": "ش/۳۳", "resolution_date": "1404/11/05"}' \
    "تصویب شورا / the council approves"
  act_held expert_1 review '{"conforming": "yes", "review_note": "مطابق بخشنامه"}' \
    "بررسی انطباق / the expert finds it conforming"
  sign dg_urban dg_approve '{"dg_decision": "approved"}' \
    "تأیید مدیرکل / approved: budget_registration records the ledger and the album"
  act budget_a archive '{"album_sent_on": "1404/12/01", "archive_no": "ب-۱۴۰۵-muni-a"}' "بایگانی / the album is archived"
  act expert_1 summary '{"summary": "بودجهٔ شهرداری الف تصویب و ثبت شد"}' "جمع‌بندی / the expert's summary"
  finish budget_oversight
}

credit_distribution() {
  title "2/8 credit_distribution — توزیع اعتبارات / credit for a project on the registered budget"
  begin credit_distribution budget_a
  local justification report
  justification=$(attach justification.pdf budget_a)
  act budget_a request '{"unit": "muni-a", "fiscal_year": 1405, "project_kind": "development", "project_title": "آسفالت و بهسازی معابر", "budget_line": "3603", "amount": 50000000000, "justification_file": "'"$justification"'", "budget_registered": "yes"}' \
    "درخواست اعتبار / 50 billion on line 3603 of the budget registered above"
  act_held expert_1 expert_review '{"expert_decision": "approve"}' "بررسی کارشناس / the expert approves"
  sign dg_urban dg_propose '{"proposal_no": "۱۲۳/ش", "proposal_date": "1404/12/10"}' "پیشنهاد مدیرکل / the director general proposes"
  act national_1 national_decide '{"national_decision": "deposit", "deposit_ref": "W-77", "deposit_date": "1404/12/20"}' \
    "واریز / the national organisation deposits; the credit is reserved"
  act budget_a record_documents '{"document_no": "S-1", "document_date": "1405/02/01", "payee": "شرکت راه‌سازان", "payment_amount": 25000000000, "more_payments": true}' \
    "پرداخت ۱ / a first payment of 25 billion"
  act budget_a record_documents '{"document_no": "S-2", "document_date": "1405/03/01", "payee": "شرکت راه‌سازان", "payment_amount": 15000000000, "more_payments": false}' \
    "پرداخت ۲ / a last payment of 15 billion"
  report=$(attach settlement.pdf budget_a)
  act budget_a settlement '{"physical_progress": 100, "spent_total": 40000000000, "settlement_report": "'"$report"'"}' "تسویه / the settlement report"
  act_held expert_1 confirm_settlement '{"settlement_ok": "yes"}' "تأیید تسویه / the settlement is accepted"
  finish credit_distribution
}

resolution_follow_up() {
  title "3/8 resolution_follow_up — پیگیری مصوبات کمیته / a committee resolution followed item by item"
  # The meeting is today and the items are due in 30 and 40 days (Jalali dates): their reminder and
  # deadline timers stay in the future, so every run sends the same mail whatever the date.
  local meeting due_1 due_2 minutes
  read -r meeting due_1 due_2 < <("$PY" -c '
import datetime as dt
import jdatetime
today = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=3, minutes=30)).date()  # Tehran
print(*(jdatetime.date.fromgregorian(date=today + dt.timedelta(days=n)).strftime("%Y/%m/%d") for n in (0, 30, 40)))')
  begin resolution_follow_up committee_secretary_a
  minutes=$(attach minutes.pdf committee_secretary_a)
  act committee_secretary_a register '{"meeting_no": 136, "meeting_date": "'"$meeting"'", "subject": "ثبت اطلاعات پرداخت روی ردیف بودجه", "items": [{"unit": "muni-a-finance", "task": "گزارش تطبیق پرداخت‌ها با ردیف بودجه", "deadline": "'"$due_1"'"}, {"unit": "muni-a-ict", "task": "اجباری شدن فیلد ردیف بودجه در درخواست وجه", "deadline": "'"$due_2"'"}], "minutes_file": "'"$minutes"'"}' \
    "ثبت مصوبه / the resolution of $meeting with two items, due $due_1 and $due_2"
  sign committee_chair_a sign '{"chair_decision": "sign", "letter_no": "ش/۱۳۶", "letter_date": "'"$meeting"'"}' \
    "امضا و ابلاغ / signed and announced by mail"
  act deputy_finance_a report '{"report_status": "done", "report": "گزارش تطبیق ارسال شد"}' "گزارش مالی / finance reports its item"
  act ict_head_a report '{"report_status": "done", "report": "فیلد اجباری شد"}' "گزارش فناوری / ICT reports its item"
  act committee_member_a review '{"reissued": [], "review_note": "همهٔ تکالیف انجام شد"}' "بررسی / every item is done"
  act committee_secretary_a publish '{"publish": "yes", "published_url": "https://shafaf.example/136"}' "انتشار / published"
  finish resolution_follow_up
}

mayor_appointment() {
  title "4/8 mayor_appointment — انتصاب شهردار / a mayor appointed by the governor's decree"
  begin mayor_appointment council_a
  local minutes cv id_card degree
  minutes=$(attach council_minutes.pdf council_a)
  cv=$(attach nominee_cv.pdf council_a)
  id_card=$(attach nominee_id_card.pdf council_a)
  degree=$(attach nominee_degree.pdf council_a)
  act council_a propose '{"resolution_no": "۱۲/ش", "resolution_date": "1404/12/05", "position": "شهردار شهر الف", "nominee_name": "علی رضایی", "national_id": "0012345678", "birth_date": "1360/05/12", "education": "master", "field_of_study": "مدیریت شهری", "experience_years": 12, "council_minutes": "'"$minutes"'", "nominee_cv": "'"$cv"'", "nominee_id_card": "'"$id_card"'", "nominee_degree": "'"$degree"'"}' \
    "پیشنهاد شورا / documents and eligibility pass the system checks"
  act_held expert_1 expert_review '{"form_ok": "yes"}' "بررسی کارشناس / the expert reviews the file"
  act inquiry_intel inquiry_intel '{"intelligence_result": "clear", "intelligence_letter_no": "ا-۱"}' "استعلام اطلاعات / intelligence: clear"
  act inquiry_judiciary inquiry_judiciary '{"judiciary_result": "clear", "judiciary_letter_no": "د-۵۵"}' "استعلام دادگستری / judiciary: clear"
  act selection_1 inquiry_selection '{"selection_result": "clear", "selection_letter_no": "گ-۹"}' "استعلام گزینش / selection: clear"
  act_held expert_1 summarize '{"inquiries_clear": "yes", "summary_note": "همهٔ مراجع منعی ندارند"}' "جمع‌بندی / the inquiries are clear"
  act dg_urban dg_review '{"dg_decision": "propose"}' "پیشنهاد مدیرکل / the director general proposes"
  sign governor decree '{"decree_no": "ح/۱۴۰۴/۷", "decree_date": "1404/12/25", "effective_date": "1405/01/15"}' \
    "حکم استاندار / the decree is produced and mailed"
  finish mayor_appointment
}

audit_review() {
  title "5/8 audit_review — رسیدگی به گزارش حسابرسی / an audit report reviewed and accepted"
  begin audit_review mayor_a
  local report
  act mayor_a bill '{"audited_year": 1403, "bill_no": "ل/۴۵", "bill_date": "1404/10/15", "scope": "شهرداری و سازمان آتش‌نشانی"}' \
    "لایحهٔ حسابرسی / the mayor asks for an auditor"
  sign council_chair_a select_firm '{"audit_firm": "audit-firm", "resolution_no": "۷۷", "resolution_date": "1404/10/20"}' \
    "انتخاب مؤسسه / the council picks the firm, told by mail"
  report=$(attach audit-report.pdf auditor_1)
  act auditor_1 audit '{"audit_opinion": "unqualified", "report_file": "'"$report"'"}' "گزارش حسابرس / an unqualified opinion"
  act council_a forward '{"transmittal_no": "ش/۹۹", "transmittal_date": "1404/11/10"}' "ارسال شورا / the council forwards it"
  act_held expert_1 review '{"review_decision": "accept", "review_note": "گزارش مقبول است"}' "بررسی کارشناس / accepted"
  sign dg_urban dg_decide '{"dg_decision": "confirm"}' "تأیید مدیرکل / confirmed; the result is mailed"
  finish audit_review
}

grade_promotion() {
  title "6/8 grade_promotion — ارتقای درجهٔ شهرداری / a municipality promoted to grade 6"
  begin grade_promotion mayor_b
  local minutes forms
  minutes=$(attach minutes.pdf mayor_b)
  forms=$(attach grading-forms.pdf mayor_b)
  act mayor_b request '{"current_grade": 5, "requested_grade": 6, "population": 120000, "annual_revenue": 3000000000000, "area_km2": 45.5, "grading_system_code": "GR-1404-33", "council_minutes": "'"$minutes"'", "grading_forms": "'"$forms"'"}' \
    "درخواست ارتقا / the request with its documents"
  act_held expert_1 expert_check '{"docs_ok": "yes"}' "بررسی مدارک / the expert checks the documents"
  sign dg_urban dg_send '{"letter_no": "۵۵/ش", "letter_date": "1404/10/20"}' "ارسال مدیرکل / sent with a covering letter"
  act national_1 national_review '{"national_decision": "approve", "proposed_grade": 6}' "سازمان کشور / the national organisation approves"
  sign moi_deputy minister_approval '{"approved_grade": 6, "approval_no": "و/۱۴۰۵/۸", "approval_date": "1404/11/10"}' \
    "تأیید وزیر / the minister approves"
  act_held expert_1 communicate '{"communication_no": "۷۰", "communication_date": "1404/11/12"}' \
    "ابلاغ / the new grade is communicated by mail"
  finish grade_promotion
}

article79_dispute() {
  title "7/8 article79_dispute — هیئت حل اختلاف ماده ۷۹ / a dispute ruled on and notified"
  begin article79_dispute a79_secretary
  act a79_secretary register '{"letter_no": "ف/۱۲", "letter_date": "1404/12/09", "sender": "فرمانداری شهرستان نمونه", "municipality": "شهرداری الف", "subject": "اعتراض به مصوبهٔ عوارض"}' \
    "ثبت نامه / the letter is registered"
  act a79_secretary check_documents '{"has_first_resolution": true, "has_compliance_ruling": true, "has_second_resolution": true, "documents_complete": true}' \
    "بررسی مدارک / the documents are complete"
  sign a79_board_2 board_opinion '{"decision": "amend", "reasoning": "مصوبه با قانون مغایر است و باید اصلاح شود"}' \
    "رأی هیئت / the board rules: amend"
  act a79_secretary notify_parties '{"notified_on": "۱۴۰۵/۰۱/۲۰"}' "ابلاغ رأی / the parties are notified"
  finish article79_dispute
}

agency_budget_supervision() {
  title "8/8 agency_budget_supervision — نظارت بر بودجهٔ دستگاه‌ها / three tracks join into the KPIs"
  begin agency_budget_supervision pbo_budget_deputy
  act pbo_budget_deputy plan '{"fiscal_year": 1405, "plan_note": "برنامهٔ نظارت ۱۴۰۵"}' "برنامهٔ سال / the plan opens three tracks"
  act pbo_expert select_projects '{"projects": [{"code": "1301001", "title": "بزرگراه کمربندی", "agency": "agency-roads", "level": "national", "visit_date": "1405/02/10"}, {"code": "5203004", "title": "مدرسهٔ ۱۲ کلاسه", "agency": "agency-education", "level": "provincial", "visit_date": "1405/02/15"}], "visitable_national": 4, "visitable_provincial": 10}' \
    "انتخاب طرح‌ها / two projects to visit"
  local visits photos
  mapfile -t visits < <(task_ids pbo_expert visit)
  [[ ${#visits[@]} == 2 ]] || { echo "walkthrough: expected 2 visit tasks, found ${#visits[@]}" >&2; return 1; }
  photos=$(attach a.pdf pbo_expert)
  STEP="visit 1 as pbo_expert"
  printf '  %-22s %-20s %s\n' pbo_expert "visit ${visits[0]:0:8}" "بازدید ۱ / the first visit, by task id"
  nz complete "${visits[0]}" --as pbo_expert --data '{"visited_on": "1405/02/10", "progress": 60, "on_plan": "no", "photos": "'"$photos"'", "findings": "تأخیر در زیرسازی"}' >/dev/null
  photos=$(attach b.pdf pbo_expert)
  STEP="visit 2 as pbo_expert"
  printf '  %-22s %-20s %s\n' pbo_expert "visit ${visits[1]:0:8}" "بازدید ۲ / the second visit"
  nz complete "${visits[1]}" --as pbo_expert --data '{"visited_on": "1405/02/15", "progress": 85, "on_plan": "yes", "photos": "'"$photos"'"}' >/dev/null
  act pbo_budget_deputy deputy_review '{"allocation_effect": "hold", "deputy_note": "تا رفع مغایرت"}' "نظر معاون / hold the allocation"
  act pbo_expert record_results '{"nezarat3_ref": "N3-55", "nezarat4_ref": "N4-77"}' "ثبت نتایج / results recorded"
  act pbo_hr_deputy schedule '{"evaluation_deadline": "1405/08/30", "evaluated_agencies": [{"unit": "agency-roads"}, {"unit": "agency-education"}]}' \
    "زمان‌بندی ارزیابی / the indicators track"
  act pbo_expert indicators_review '{"review_summary": "شاخص‌ها بررسی شد"}' "بررسی شاخص‌ها / indicators reviewed"
  act pbo_expert scoring '{"scores": [{"unit": "agency-roads", "score": 82}, {"unit": "agency-education", "score": 74}]}' "امتیازدهی / scores"
  local framework
  framework=$(attach framework.pdf pbo_integration_1)
  act pbo_integration_1 framework '{"reports": [{"unit": "agency-roads"}, {"unit": "agency-education"}], "periods": 1, "framework_file": "'"$framework"'"}' \
    "چارچوب گزارش / the expense track asks both agencies"
  local lines='[{"chapter": "1", "allocated": 1000000, "paid": 900000}, {"chapter": "2", "allocated": 500000, "paid": 100000}]'
  act agency_roads agency_report '{"expense_lines": '"$lines"'}' "گزارش راه / the roads agency reports"
  act agency_education agency_report '{"expense_lines": '"$lines"', "agency_note": "گزارش دوره"}' "گزارش آموزش / the education agency reports"
  act pbo_integration_1 analyse '{"analysis": "دورهٔ یک", "allocation_advice": "keep"}' "تحلیل / the analysis"
  sign pbo_budget_deputy conclude '{"conclusion": "نتایج در تخصیص‌ها اعمال شد", "allocation_changes": [{"unit": "agency-roads", "change": "hold"}]}' \
    "جمع‌بندی معاون / the KPIs and the conclusion"
  finish agency_budget_supervision
}

# -- the end -------------------------------------------------------------------------------------

summary() {
  title "verify — بررسی زنجیرهٔ سوابق / every history chain"
  STEP="verify --all"
  local verdicts
  verdicts=$(nz verify --all)
  printf '%s\n' "$verdicts" | sed 's/^/  /'
  local intact
  intact=$(grep -c 'history intact' <<<"$verdicts" || true)
  local mail
  mail=$(grep -c 'MESSAGE FOLLOWS' "$WORK/smtp.log" || true)
  title "summary — خلاصه"
  printf '  %s\n' "${DONE[@]}"
  echo "instances completed: ${#DONE[@]} of 8"
  echo "histories intact: $intact of ${#DONE[@]}"
  echo "mail delivered to the SMTP sink: $mail"
  [[ ${#DONE[@]} == 8 && $intact == 8 ]]
}

setup
budget_oversight
credit_distribution
resolution_follow_up
mayor_appointment
audit_review
grade_promotion
article79_dispute
agency_budget_supervision
summary
