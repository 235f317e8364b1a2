"""The console's words, in Chinese and English (the villagers' texts live in menus/texts)."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..kernel.areas import area_data, skills
from ..kernel.provinces import canonical_province, city_names, provinces

# key: (中文, English)
WORDS: dict[str, tuple[str, str]] = {
    "app": ("工作台", "Console"),
    # Navigation
    "nav_dashboard": ("概览", "Dashboard"),
    "nav_villagers": ("村民", "Villagers"),
    "nav_postings": ("岗位", "Postings"),
    "nav_my_postings": ("我的岗位", "My postings"),
    "nav_broadcasts": ("群发短信", "Broadcasts"),
    "nav_trainings": ("培训", "Trainings"),
    "nav_departures": ("出发", "Departures"),
    "nav_follow_up": ("回访跟进", "Follow-up"),
    "nav_cases": ("问题反映", "Cases"),
    "nav_agencies": ("中介与雇主", "Agencies"),
    "nav_simulator": ("手机模拟器", "Phone simulator"),
    "nav_report": ("月报", "Monthly report"),
    # Accounts
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "signed_out": ("已退出。", "Signed out."),
    "user_name": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "password_hint": ("没有密码、忘记密码或被锁定？请联系本县（区）人社局负责 Jobline 的管理员，"
                      "由管理员为您设置或重设密码。",
                      "No password yet, forgot it or locked out? Ask the administrator of "
                      "Jobline at your county's human resources bureau to set or reset it."),
    "password_help_contact": ("管理员联系方式：{contact}", "The administrator: {contact}"),
    "signin_wrong": ("用户名或密码不正确。", "The user name or password is not right."),
    "signin_wait": ("尝试次数过多，请 {seconds} 秒后再试。",
                    "Too many attempts: try again in {seconds} seconds."),
    "error_csrf": ("表单已过期，请刷新页面后重试。",
                   "This form has expired: reload the page and try again."),
    "error_bad": ("请求无效。", "That request is not valid."),
    "error_not_found": ("没有这个页面。", "There is no such page."),
    # Common
    "none": ("暂无", "None"),
    "total": ("共 {n} 条", "{n} in all"),
    "previous": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "search": ("搜索", "Search"),
    "filter": ("筛选", "Filter"),
    "save": ("保存", "Save"),
    "cancel": ("取消", "Cancel"),
    "update": ("更新", "Update"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "sex": ("性别", "Sex"),
    "sex_f": ("女", "female"),
    "sex_m": ("男", "male"),
    "anyone": ("不限", "anyone"),
    "birth_year": ("出生年份", "Year of birth"),
    "township": ("乡镇", "Township"),
    "area": ("地区", "Area"),
    "areas": ("地区", "Area"),
    "all_areas": ("全部地区", "All areas"),
    "my_area": ("我的地区", "My area"),
    "skills": ("技能", "Skills"),
    "any_skill": ("不限技能", "any skill"),
    "language": ("语言", "Language"),
    "both": ("两种语言", "both"),
    "status": ("状态", "Status"),
    "all_statuses": ("全部状态", "All statuses"),
    "reason": ("原因", "Reason"),
    "reasons": ("原因", "Reasons"),
    "count": ("数量", "Count"),
    "time": ("时间", "Time"),
    "text": ("内容", "Text"),
    "kind": ("类型", "Kind"),
    "action": ("操作", "Action"),
    "note": ("备注", "Note"),
    "via": ("途径", "Via"),
    "dates": ("日期", "Dates"),
    "posting": ("岗位", "Posting"),
    "messages": ("短信", "Messages"),
    "segments": ("条数", "Segments"),
    "sms_status": ("短信", "SMS"),
    "subscribed": ("接收短信", "receives SMS"),
    "opted_out_unknown": ("已退订", "opted out"),
    "opted_out_keyword": ("已退订：本人发送了退订指令（STOP）", "opted out: they texted STOP"),
    "opted_out_carrier": ("已退订：运营商拒收（代码 {code}）",
                          "opted out: the carrier refused (code {code})"),
    "opted_out_erased": ("已注销：个人信息已删除", "erased: their personal data is gone"),
    "erase_title": ("注销（删除个人信息）", "Erase (delete personal data)"),
    "erase_explain": ("按本人要求删除姓名、手机号、家属联系人、短信内容和投诉描述；统计数字不变。"
                      "本人会收到一条短信告知，此后不再发送任何短信。此操作不可撤销。",
                      "On the villager's request: their name, phone, family contact, message "
                      "texts and case descriptions are deleted; the figures keep their counts. "
                      "They get one SMS saying so, then nothing more. This cannot be undone."),
    "erase_confirm": ("本人已提出注销要求，我确认删除", "They asked for it; I confirm the erasure"),
    "erase_button": ("注销", "Erase"),
    "erase_unconfirmed": ("请先勾选确认，才能注销。", "Tick the confirmation first to erase."),
    "erased_done": ("已注销，已发送短信告知本人。", "Erased; they are told by SMS."),
    # Dashboard
    "messages_waiting": ("条短信等待发送", "messages waiting"),
    "sent_today": ("条今日已发送", "sent today"),
    "failed_week": ("条近七天发送失败", "failed in the last 7 days"),
    # The dashboard's machinery: RQ workers and queues (issue 15)
    "workers_title": ("后台进程", "Workers and queues"),
    "workers_alive": ("个后台进程在运行", "workers alive"),
    "workers_none": ("没有后台进程在运行：短信不会发出", "No worker is alive: no message goes out"),
    "queue": ("队列", "Queue"),
    "queue_jobs": ("等待的任务", "Jobs waiting"),
    "failed_reasons": ("失败原因（近七天）", "Why messages failed (last 7 days)"),
    "failed_latest": ("最近失败的短信", "Latest failed messages"),
    # Villagers
    "search_hint": ("电话或姓名", "phone or name"),
    "register_villager": ("代为登记", "Register a villager"),
    "register": ("登记", "Register"),
    "villager_registered": ("已登记，村民将收到确认短信。",
                            "Registered: the villager gets a confirmation SMS."),
    "outside_province": ("愿意出省", "Will work outside the province"),
    "consent_one": ("村民本人同意登记并接收短信", "The villager agreed to be registered and "
                    "texted"),
    "consent_file": ("文件中每位村民都已同意登记并接收短信",
                     "Every villager in the file agreed to be registered and texted"),
    "registered_via": ("登记途径", "Registered via"),
    "applications": ("报名", "Applications"),
    "import_csv": ("导入名单（CSV）", "Import a file (CSV)"),
    "import_hint": ("第一行为列名：电话、姓名、性别、出生年份、乡镇，可加技能、愿意出省、语言。"
                    "先预览，再导入：有任何一行被拒绝，则全部不写入。",
                    "First line: the column names phone, name, sex, birth_year, township, and "
                    "optionally skills, outside_province, language. Preview first; an import "
                    "writes every row, or none when any row is refused."),
    "csv_file": ("文件", "File"),
    "csv_text": ("或粘贴内容", "or paste it"),
    "dry_run": ("预览（不写入）", "Preview (dry run)"),
    "import": ("导入", "Import"),
    "dry_run_result": ("预览结果", "Dry run"),
    "imported": ("已导入", "Imported"),
    "not_imported": ("未导入：有被拒绝的行", "Not imported: some rows are refused"),
    "line": ("行", "Line"),
    "row_create": ("新建", "create"),
    "row_update": ("更新", "update"),
    "row_unchanged": ("不变", "unchanged"),
    "row_refuse": ("拒绝", "refused"),
    # Postings
    "new_posting": ("发布新岗位", "New posting"),
    "title": ("岗位", "Title"),
    "title_zh": ("中文名称", "Title (Chinese)"),
    "title_en": ("英文名称", "Title (English)"),
    "employer": ("雇主", "Employer"),
    "employers": ("雇主", "Employers"),
    "agency": ("中介", "Agency"),
    "trade": ("工种", "Trade"),
    "destination_city": ("工作城市", "City"),
    "destination_province": ("省份", "Province"),
    "wage": ("月薪（元）", "Wage (yuan/month)"),
    "wage_min": ("最低月薪", "Lowest wage"),
    "wage_max": ("最高月薪", "Highest wage"),
    "hours_per_day": ("每天工时", "Hours a day"),
    "days_per_week": ("每周天数", "Days a week"),
    "contract_months": ("合同月数", "Contract months"),
    "terms": ("工作条件", "Terms"),
    "terms_text": ("每天 {hours} 小时，每周 {days} 天，合同 {months} 个月",
                   "{hours} h a day, {days} days a week, {months} months"),
    "positions": ("名额", "Positions"),
    "age_min": ("最小年龄", "Youngest"),
    "age_max": ("最大年龄", "Oldest"),
    "worker_fee": ("向工人收费（元）", "Fee charged to workers (yuan)"),
    "deadline": ("报名截止", "Deadline"),
    "departure_date": ("出发日期", "Departure date"),
    "food": ("包吃", "Food"),
    "housing": ("包住", "Housing"),
    "travel_advance": ("预支路费", "Travel advance"),
    "training_required": ("需要培训", "Training required"),
    "keep_draft": ("存为草稿", "Keep as a draft"),
    "code": ("核验码", "Verification code"),
    "checklist": ("审核清单", "Vetting checklist"),
    "check_agency_licensed": ("中介持有效许可证且未被暂停", "Agency licensed and not suspended"),
    "check_wage_at_least_minimum": ("月薪不低于最低标准", "Wage at least the minimum"),
    "check_no_worker_fee": ("不向工人收费", "No fee charged to workers"),
    "check_contract_terms_stated": ("合同条件写明", "Contract terms stated"),
    "check_english_texts_gsm7": ("英文短信只用拉丁字母（标题、城市、雇主和中介的英文名）",
                                 "English texts in the GSM-7 alphabet (title, city, names)"),
    "publish": ("审核通过并发布", "Vet and publish"),
    "reject": ("拒绝", "Reject"),
    "reasons_hint": ("拒绝原因，每行一条", "reasons, one a line"),
    "submit": ("提交审核", "Send to vetting"),
    "close": ("关闭", "Close"),
    "posting_now": ("岗位现在：{status}", "The posting is now {status}."),
    "applicants": ("报名者", "Applicants"),
    "shortlist": ("列入候选", "Shortlist"),
    "confirm": ("确认录用", "Confirm"),
    "reason_needed": ("拒绝需要写明原因。", "A rejection needs a reason."),
    "application_now": ("报名现在：{status}", "The application is now {status}."),
    # Broadcasts
    "compose": ("编写短信", "Compose"),
    "text_zh": ("中文内容", "Chinese text"),
    "text_en": ("英文内容", "English text"),
    "or_posting": ("或发送岗位", "or a posting"),
    "send_at": ("发送时间（空：现在）", "Send at (empty: now)"),
    "recipients": ("收件人", "Recipients"),
    "segments_total": ("总条数（计费）", "Segments billed"),
    "estimated_cost": ("预计费用", "Estimated cost"),
    "excluded": ("不发送", "Not sent to"),
    "excluded_keyword": ("本人退订", "texted STOP"),
    "excluded_carrier": ("运营商拦截", "blocked by carrier"),
    "excluded_unknown": ("已退订", "opted out"),
    "excluded_no_sms_consent": ("未同意短信", "no SMS consent"),
    "expected_finish": ("预计发完", "Expected to finish"),
    "segments_each": ("条/人", "per message"),
    "send": ("发送", "Send"),
    "sent_broadcasts": ("已发群发", "Broadcasts"),
    "broadcast": ("群发", "Broadcast"),
    "processed": ("已处理", "processed"),
    # Trainings
    "new_training": ("新建培训", "New training session"),
    "start_date": ("开始日期", "Starts"),
    "end_date": ("结束日期", "Ends"),
    "capacity": ("名额", "Capacity"),
    "for_posting": ("对应岗位", "For posting"),
    "enrolled": ("已报名", "Enrolled"),
    "enrolments": ("报名名单", "Enrolments"),
    "mark": ("标记", "Mark"),
    "attended": ("已参加", "attended"),
    "absent": ("缺席", "absent"),
    "completed": ("已结业", "completed"),
    "withdrawn": ("退出", "withdrawn"),
    # Departures and follow-up
    "departure": ("出发", "Departure"),
    "new_departure": ("安排出发", "Schedule a departure"),
    "leaves_at": ("出发时间", "Leaves at"),
    "place": ("集合地点", "Meeting place"),
    "escort": ("带队人", "Escort"),
    "escort_phone": ("带队人电话", "Escort's phone"),
    "roster": ("名单", "Roster"),
    "answer": ("回复", "Answer"),
    "move": ("改期/改地点", "Move"),
    "mark_departed": ("标记已出发", "Mark departed"),
    "follow_up_hint": ("这些工人没有回复回访短信及两次提醒，请电话联系。",
                       "These workers answered neither a check-in nor its two reminders: "
                       "call them."),
    "checkin": ("第几次回访", "Check-in"),
    "overdue_days": ("逾期天数", "Days overdue"),
    "reminders": ("提醒次数", "Reminders"),
    # Cases
    "case": ("问题", "Case"),
    "category": ("类别", "Category"),
    "anonymous": ("匿名", "anonymous"),
    "assigned_to": ("负责人", "Assigned to"),
    "assign": ("指派", "Assign"),
    "stale": ("久未处理", "stale"),
    "stale_only": ("只看久未处理", "Stale only"),
    "note_hint": ("告诉村民的话（可空）", "a note for the villager (optional)"),
    "history": ("经过", "History"),
    # Agencies
    "licence": ("许可证号", "Licence"),
    "licence_expires": ("有效期至", "Expires"),
    "licensed": ("有效", "licensed"),
    "suspended": ("已暂停", "suspended"),
    "contact": ("联系方式", "Contact"),
    "agencies_api_hint": ("登记中介和雇主、暂停中介：请用接口", "Registering agencies and "
                          "employers, suspending an agency: the API"),
    # Monthly report and the dashboard's figures
    "report_month": ("月份", "Month"),
    "show": ("查看", "Show"),
    "csv_download": ("下载 CSV", "Download CSV"),
    "list_sep": ("、", ", "),
    "fig_registered": ("新登记", "Registered"),
    "fig_trained": ("培训结业", "Trained"),
    "fig_placed": ("转移就业", "Placed"),
    "total_short": ("合计", "total"),
    "fig_within_city": ("市内", "within the city"),
    "fig_in_province": ("省内", "in the province"),
    "fig_outside_province": ("省外", "outside the province"),
    "fig_by_province": ("按省份", "by province"),
    "fig_confirmed_waiting": ("已录用未出发", "Confirmed, not left"),
    "fig_checkins_answered": ("回访已回复", "Check-ins answered"),
    "fig_returned": ("返乡", "Returned home"),
    "fig_cases": ("问题反映", "Cases"),
    "fig_cases_opened": ("新问题反映", "Cases opened"),
    "fig_cases_resolved": ("已解决", "resolved"),
    "fig_income": ("预计收入（元）", "Estimated income (yuan)"),
    "opened": ("新增", "opened"),
    "targets_year": ("{year} 年度目标", "Targets for {year}"),
    "targets_hint": ("本年截至 {month} 月底的累计 / 目标，完成率；在下面设定或修改目标。",
                     "So far this year (to the end of {month}) / the target, and the "
                     "percentage done; set or change a target below."),
    "zero_report": ("零报告", "zero report"),
    "zero_report_areas": ("本月没有任何数字的地区（零报告）：{areas}",
                          "Nothing to report this month (zero report): {areas}"),
    "report_hint": ("“已录用未出发”为当前人数；预计收入 = 月薪中间值 × 合同月数。",
                    "'Confirmed, not left' is as of now; estimated income is the "
                    "middle of the wage range times the contract months."),
    "chart_areas": ("各地区本月转移就业与培训结业人数", "Placed and trained this month, by area"),
    "chart_months": ("近十二个月转移就业与培训结业人数", "Placed and trained, the last twelve "
                     "months"),
    "set_targets": ("设定年度目标", "Set annual targets"),
    "year": ("年份", "Year"),
    "targets_saved": ("已保存{area} {year} 年的目标。", "Targets saved for {area}, {year}."),
    "this_month": ("{area} · 本月（{month}）", "{area} · this month ({month})"),
    "target_done": ("{what}：{done} / {target}，完成 {percent}%",
                    "{what}: {done} of {target}, {percent}%"),
    "zero_below": ("{n} 个下级地区本月零报告", "{n} areas below report zero this month"),
    "open_report": ("查看月报", "Open the monthly report"),
    # Phone simulator
    "sim_hint": ("输入一个手机号，拨打 USSD 或发短信：走的是真实的菜单和短信处理，会真实写入数据。",
                 "Enter a phone number, then dial USSD or send an SMS: the real menus and SMS "
                 "handling run, and write what a real session would."),
    "sim_phone": ("手机号", "Phone number"),
    "sim_dial": ("拨打 USSD", "Dial USSD"),
    "sim_entry": ("输入", "Entry"),
    "sim_send": ("发送", "Send"),
    "sim_idle": ("拨打以开始。", "Dial to start."),
    "sim_ended": ("会话结束", "session ended"),
    "sim_budget": ("本屏 {used}/{allowed} 字符", "{used}/{allowed} characters on this screen"),
    "sim_sms": ("短信", "SMS"),
    "sim_sms_hint": ("例如：帮助、工作、HELP", "e.g. HELP, JOBS, 帮助"),
    "sim_sms_send": ("发短信", "Send SMS"),
    "sim_segments": ("{n} 条", "{n} segment(s)"),
    "sim_real": ("注意：系统发给这个号码的短信会通过真实的短信通道发出。",
                 "Note: the SMS the line sends this number go out through the real SMS "
                 "provider."),
    # Broadcasts: where one stands and what it came to (broadcasts.lifecycle)
    "bc_starts_at": ("将于 {time} 开始发送", "Starts at {time}"),
    "bc_quiet_note": ("夜间免打扰时段不发短信，到时自动开始。",
                      "No texts land in the quiet hours at night; it starts by itself."),
    "bc_finished_at": ("{time} 全部发完", "Finished at {time}"),
    "bc_msg_queued": ("待发", "waiting"),
    "bc_msg_sending": ("正在发", "being sent"),
    "bc_msg_sent": ("已发出", "sent"),
    "bc_msg_delivered": ("已送达", "delivered"),
    "bc_msg_undelivered": ("未送达", "not delivered"),
    "bc_msg_failed": ("失败", "failed"),
    "bc_failed_by_reason": ("失败原因", "Failed, by reason"),
    "bc_reason_cancelled": ("群发已取消", "the broadcast was cancelled"),
    "bc_reason_opted_out": ("已退订", "opted out"),
    "bc_reason_interrupted": ("发送中断（未重发）", "interrupted (not resent)"),
    "bc_reason_no_template": ("没有审核通过的模板", "no approved template"),
    "bc_reason_loop_guard": ("重复发送被拦截", "stopped as a loop"),
    "bc_reason_unknown": ("原因不明", "reason unknown"),
    "bc_reason_other": ("短信平台代码 {code}", "provider code {code}"),
    "bc_confirm_title": ("确认群发", "Confirm the broadcast"),
    "bc_confirm_question": ("发送给 {n} 人？", "Send to {n} people?"),
    "bc_confirm_send": ("确认发送", "Yes, send it"),
    "bc_confirm_back": ("返回修改", "Go back"),
    "bc_template": ("短信模板", "Template"),
    "bc_template_hint": ("短信平台只发送审核通过的模板：请选择模板并填写内容，每项最多 35 字。",
                         "The SMS provider sends approved templates only: pick one and fill "
                         "it in (35 characters at most each)."),
    "bc_tpl_notice": ("通知", "Notice"),
    "bc_tpl_meeting": ("会议通知", "Meeting"),
    "bc_tpl_training": ("培训通知", "Training"),
    "bc_var_text": ("通知内容", "Notice text"),
    "bc_var_date": ("日期", "Date"),
    "bc_var_time": ("时间", "Time"),
    "bc_var_place": ("地点", "Place"),
    "bc_var_trade": ("工种", "Trade"),
    "bc_in_zh": ("中文", "Chinese"),
    "bc_in_en": ("英文", "English"),
    "bc_final_text": ("实际发送", "Text sent"),
    # --- Records of agencies and employers; the vetting's second look ---
    "record": ("记录", "Record"),
    "record_of": ("{name}的记录", "Record of {name}"),
    "record_placed": ("已输出人数", "Workers placed"),
    "record_working_3": ("3个月后仍在岗", "Still working at 3 months"),
    "record_working_6": ("6个月后仍在岗", "Still working at 6 months"),
    "record_pay_asked": ("工资回访（已问）", "Pay checks asked"),
    "record_paid_full": ("足额领薪（已答中）", "Paid in full (of those who answered)"),
    "record_paid_last_month": ("上月足额领薪（{month}）", "Paid in full last month ({month})"),
    "record_promises": ("工作与承诺相符（已答中）", "Promises kept (of those who answered)"),
    "record_cases": ("投诉：总数 / 合同不符 / 已解决", "Cases: opened / contract / resolved"),
    "record_share": ("{count}/{of}（{percent}%）", "{count} of {of} ({percent}%)"),
    "record_share_hidden": ("{of}人作答（少于5人不显示）", "{of} answered (under 5: not shown)"),
    "record_none": ("暂无", "none yet"),
    "record_threshold": ("本县审核门槛：{percent}%", "This county's vetting threshold: {percent}%"),
    "record_no_threshold": ("本县未设审核门槛", "This county set no vetting threshold"),
    "record_below": ("低于门槛：{names}，需再次审查",
                     "Below the threshold: {names}; needs a second look"),
    "record_second_look": ("我已再次审查该中介的记录",
                           "I took a second look at the agency's record"),
    "check_agency_record_second_look": ("中介记录低于门槛，已再次审查",
                                        "Agency record below the threshold: second look taken"),
    "paid_in_full": ("足额领薪", "paid in full"),
    "promises_kept": ("工作与承诺相符", "promises kept"),
    # Cohorts (console/cohorts.py)
    "cohort": ("班组", "Cohort"),
    "cohort_members": ("成员", "Members"),
    "cohort_leaders": ("班委", "Leaders"),
    "team": ("组", "Team"),
    "roles": ("职务", "Roles"),
    "arrival": ("到达回访", "Arrival"),
    "family_answer": ("家人答复", "Family"),
    "role_squad_leader": ("班长", "Squad leader"),
    "role_vice_squad_leader": ("副班长", "Vice squad leader"),
    "role_team_leader": ("组长", "Team leader"),
    "arrival_not_due": ("未到时间", "not due"),
    "arrival_waiting": ("等待回复", "waiting"),
    "arrival_answered": ("已回复", "answered"),
    "arrival_noticed": ("一天未回复", "unanswered a day"),
    "arrival_heard_family": ("家人已联系上", "family heard"),
    "arrival_heard_team": ("组长报平安", "team leader: well"),
    "name_leader": ("指定", "Name"),
    "team_reports": ("班组报告", "Team reports"),
    "not_answered": ("未报告", "Not answered"),
    "report_round": ("轮次", "Round"),
    "report_schedule": ("报告周期", "Report schedule"),
    "every_months": ("每几个月", "Every (months)"),
    "first_report_on": ("第一次", "First on"),
    "set_schedule": ("设定", "Set"),
    "all_well": ("正常", "all well"),
    "missed": ("已列出", "listed"),
    "chased": ("已催", "chased"),
    # Cohorts: who came home, teams without a leader at work (issue 13 item 1's defects)
    "member_home": ("已回家", "came home"),
    "leader_home": ("组长已回家，未催", "leader came home: not chased"),
    "team_without_leader": ("第{team}组组长已回家，组里没有在岗组长：请指定新组长。",
                            "Team {team}'s leader came home: no leader at work. "
                            "Name a new team leader."),
    # Phones and the villager profile as a place to act (issue 17: layout, actions)
    "nav_menu": ("菜单", "Menu"),
    "chart_empty": ("还没有可画的数据：有人参加培训或就业后，这里会显示柱状图。",
                    "Nothing to chart yet: bars appear here once people are trained or placed."),
    "act_title": ("办理", "Act"),
    "sms_one_title": ("发一条短信", "Send one SMS"),
    "sms_one_hint": ("经发件箱发出：已退订的村民不发；夜间免打扰时段写的短信等到早上再发。",
                     "Goes through the outbox: nothing to a villager who opted out; written in "
                     "the quiet hours, it waits for the morning."),
    "sms_one_text": ("短信内容", "Message"),
    "sms_one_send": ("发送短信", "Send the SMS"),
    "sms_one_queued": ("短信已进入发件箱。", "The SMS is in the outbox."),
    "sms_one_opted_out": ("该村民已退订短信，未发送。", "This villager opted out of SMS: nothing "
                          "was sent."),
    "sms_one_empty": ("请先写短信内容。", "Write the message first."),
    "sms_one_long": ("短信太长：最多 {n} 个字。", "Too long: at most {n} characters."),
    "enrol_title": ("报名培训", "Enrol in a training"),
    "enrol_training": ("培训", "Training"),
    "enrol_button": ("报名", "Enrol"),
    "enrol_none": ("暂无这位村民可报名的培训（本县即将开始的培训，或其申请岗位的培训）。",
                   "No training this villager may join yet (upcoming ones in their county, or "
                   "for a posting they applied to)."),
    "enrol_choose": ("请选择一个培训。", "Choose a training."),
    "enrolled_done": ("已报名，并已短信通知村民。", "Enrolled; the villager is told by SMS."),
    "enrol_refused_not_registered": ("该村民尚未登记。", "This villager is not registered."),
    "enrol_refused_closed": ("这个培训已不再接受报名。", "This training takes no more enrolments."),
    "enrol_refused_already_enrolled": ("该村民已报名这个培训。",
                                       "This villager is enrolled already."),
    "enrol_refused_not_eligible": ("这个培训不在该村民所在的县。",
                                   "This training is for another county."),
    "enrol_refused_full": ("这个培训已满。", "This training is full."),
    "case_title": ("登记问题反映", "Open a case"),
    "case_description": ("情况说明", "What happened"),
    "case_button": ("登记", "Open the case"),
    "case_incomplete": ("请选择类别并写明情况。", "Choose a category and say what happened."),
    "case_opened": ("已登记问题反映 #{n}，并已短信告知村民编号。",
                    "Case #{n} is open; the villager is told its number by SMS."),
    "edit_title": ("修改资料", "Edit the record"),
    "edit_keep": ("留空的可选项保持原样。", "Optional fields left empty keep what the record has."),
    "edit_button": ("保存", "Save"),
    "edited_done": ("资料已保存。", "The record is saved."),
    "thread_title": ("短信往来", "Messages both ways"),
    "thread_in": ("村民发来", "From the villager"),
    "thread_out": ("系统发出", "Sent by Jobline"),
    "thread_empty": ("还没有短信往来。", "No messages yet, either way."),
    "applications_empty": ("还没有申请过岗位。", "No applications yet."),
    "enrolments_empty": ("还没有报名培训：可在下方“办理”中报名。",
                         "Not enrolled in any training yet: enrol them under 'Act' below."),
    "cases_empty": ("没有问题反映。", "No cases."),
    "villagers_empty": ("没有找到村民。可以换个搜索词，或登记一位村民、导入乡镇名单。",
                        "No villagers found. Try another search, register one, or import a "
                        "township file."),
    "csv_template": ("下载模板（CSV）", "Download the template (CSV)"),
    "csv_template_other": ("英文列名模板", "Chinese headers"),
    "import_clean": ("预览没有问题：可以正式导入。", "The dry run found no problems: import now."),
    "import_fix_first": ("有被拒绝的行：请修改后再预览，全部通过后才能导入。",
                         "Some rows are refused: fix them and run the dry run again; importing "
                         "comes after a clean one."),
    # Labels and notices after every action (issue 17)
    "search_label": ("搜索村民", "Find a villager"),
    "sim_sms_label": ("短信内容", "Message"),
    "language_chosen": ("已切换为中文。", "The console is now in English."),
    "signed_in": ("欢迎，{name}。", "Welcome, {name}."),
    "posting_created": ("岗位已保存：{status}。", "Posting saved: {status}."),
    "broadcast_created": ("群发已建立：{n} 人，{status}。",
                          "Broadcast created: {n} people, {status}."),
    "broadcast_cancelled": ("群发已取消，尚未发出的短信不再发送。",
                            "Broadcast cancelled: messages not yet sent will not go."),
    "training_created": ("培训已建立，通知将发给符合条件的村民。",
                         "Training session created; villagers who fit it are told."),
    "training_cancelled": ("培训已取消，已报名的村民将收到短信。",
                           "Training cancelled; those enrolled are told by SMS."),
    "enrolment_now": ("{name}：{status}。", "{name}: {status}."),
    "departure_created": ("出发已安排，名单上的工人将收到短信。",
                          "Departure scheduled; the workers on its roster are told by SMS."),
    "departure_moved": ("出发时间/地点已更改，工人将收到短信。",
                        "Departure moved; the workers are told by SMS."),
    "departure_now": ("出发现在：{status}。", "The departure is now {status}."),
    "case_assigned": ("已指派给 {name}。", "Assigned to {name}."),
    "case_now": ("问题现在：{status}。", "The case is now {status}."),
    # --- pay checks: wage cases, the report's pay-check figures, pay day, address ---
    "wage_cases": ("欠薪案件", "Wage cases"),
    "wage_cases_hint": ("由每月工资回访开立；CSV 供劳动监察投诉渠道使用。",
                        "Opened by the monthly pay check; the CSV is for the labour "
                        "inspection's complaint channel."),
    "pay_period": ("工资月份", "Pay month"),
    "worker": ("务工人员", "Worker"),
    "employer_address": ("用工单位地址", "Employer's address"),
    "amount_agreed": ("约定月薪（元）", "Wage agreed (yuan)"),
    "amount_missing": ("欠薪金额（元）", "Amount missing (yuan)"),
    "pay_day": ("发薪日（每月几号）", "Pay day (day of month)"),
    "address": ("地址", "Address"),
    "fig_pay_checks": ("工资回访", "Pay checks"),
    "fig_pay_checks_asked": ("已问", "Asked"),
    "fig_pay_checks_answered": ("已答", "Answered"),
    "fig_pay_checks_unanswered": ("未答", "Unanswered"),
    "fig_paid_in_full": ("全额发放", "Paid in full"),
    "fig_pay_missing": ("反映欠薪（元）", "Reported missing (yuan)"),
    "pay_checks_hint": ("按工资所属月份统计：本月工资在下月发薪日后询问。",
                        "Counted by the month the pay was for: a month's pay is asked "
                        "about after the next month's pay day."),
    # --- end pay checks ---
    # Recruitment days
    "nav_recruitment_days": ("招聘日", "Recruitment days"),
    "new_recruitment_day": ("新建招聘日", "New recruitment day"),
    "day_date": ("日期", "Date"),
    "day_place": ("地点", "Place"),
    "day_posting": ("岗位", "Posting"),
    "day_invited": ("已邀请", "Invited"),
    "day_booked": ("已预约", "Booked"),
    "day_time": ("时间", "Time"),
    "day_places": ("名额", "Places"),
    "day_slot": ("时段{number}", "Slot {number}"),
    "day_interviews": ("面试", "Interviews"),
    "day_hint": ("最多8个时段（村民回复一个数字预约）；保存后向符合岗位条件的村民发送邀请短信，"
                 "前一天8点短信提醒。",
                 "At most 8 slots (villagers book with one digit); saving invites the villagers "
                 "the posting fits by SMS; they are reminded at 08:00 the day before."),
    "day_cancel": ("取消招聘日", "Cancel the day"),
    "day_cancel_hint": ("已回复邀请的村民会收到取消短信；原因只给工作人员和中介看。",
                        "Villagers who answered the invitation are told by SMS; the reason "
                        "is for officers and the agency only."),
    "day_cancelled": ("招聘日已取消，已回复邀请的村民将收到短信。",
                      "Recruitment day cancelled; villagers who answered are told by SMS."),
    "day_cancelled_on": ("已于{when}取消：", "Cancelled {when}:"),
    "outcome_shortlisted": ("通过（入围）", "Shortlisted"),
    "outcome_rejected": ("未通过", "Rejected"),
    "outcome_no_show": ("未到", "Did not come"),
    # The report's success and stability rates
    "rates_title": ("成功率与稳定率", "Success and stability rates"),
    "rate_applied": ("本月报名", "Applied this month"),
    "rate_success": ("录用率（录用÷报名）", "Success (confirmed ÷ applied)"),
    "rate_departure": ("出发率（出发÷录用）", "Departed ÷ confirmed"),
    "rate_stability_3m": ("3个月稳定率", "Stability at 3 months"),
    "rate_stability_6m": ("6个月稳定率", "Stability at 6 months"),
    "rates_agencies": ("各中介", "By agency"),
    "rates_hint": ("录用率、出发率按本月报名的人计算（截至现在）；"
                   "稳定率：3个月（6个月）前那个月出发的人中，"
                   "出发后3（6）个月内没有返乡的比例。“—”：没有可计算的人数。",
                   "Success and departure: of this month's applications, as of now. Stability: "
                   "of those who departed in the month 3 (6) months before, the share not home "
                   "within 3 (6) months. —: nobody to count."),
    # --- Templates for every message (issue 14) ---
    "sms_note_cut": ("短信服务商只允许模板变量最多 {n} 个字：说明已截短后发送。",
                     "The SMS provider allows at most {n} characters per template variable: "
                     "the note was cut to go."),
    "sms_one_cut": ("短信服务商只允许模板变量最多 {n} 个字：短信已截短后进入发件箱。",
                    "The SMS provider allows at most {n} characters per template variable: the "
                    "SMS was cut and is in the outbox."),
    "nav_templates": ("短信模板", "SMS templates"),
    "template_name": ("模板", "Template"),
    "template_wording": ("报备内容", "Wording to submit"),
    "template_approved_id": ("审核通过的模板编号", "Approved template ID"),
    "template_source": ("来源", "Set in"),
    "template_source_api": ("本页/接口", "this page or the API"),
    "template_source_file": ("模板配置文件", "the TENCENT_TEMPLATES file"),
    "template_source_none": ("未设：发送失败（无模板）", "none: fails as no template"),
    "template_id_set": ("已保存 {name} 的模板编号。", "Template ID of {name} saved."),
    "template_id_removed": ("已删除 {name} 在本页设的模板编号。",
                            "Template ID of {name} set here removed."),
    "templates_hint": ("在短信服务商（腾讯云短信）报备每个模板，审核通过后在此填写模板编号；"
                       "此处设的编号优先于模板配置文件。留空保存即删除此处设的编号。",
                       "Submit each template to the SMS provider (Tencent Cloud SMS) and enter "
                       "its ID here once approved; an ID set here wins over the "
                       "TENCENT_TEMPLATES file. Saving an empty ID removes the one set here."),
    # --- end Templates for every message ---
}


# Keys of the form `<prefix><value>` that name a shown value (`_('status_published')`): the
# words live in VALUES below, once.
PREFIXES = {"status_": "posting_status", "bc_status_": "broadcast_status",
            "app_": "application_status", "case_": "case_status",
            "cat_": "case_category", "role_": "role", "answer_": "departure_answer"}


def word(language: str, key: str, **values: Any) -> str:
    """The word for `key` in `language` ('zh' or 'en'), with `values` filled in."""
    if key not in WORDS:
        for prefix, kind in PREFIXES.items():
            if key.startswith(prefix) and key.removeprefix(prefix) in VALUES[kind]:
                return say(language, kind, key.removeprefix(prefix))
        raise KeyError(key)
    zh, en = WORDS[key]
    text = zh if language == "zh" else en
    return text.format(**values) if values else text


# --- Values shown on pages: every code word an officer would otherwise read (issue 17) ------
# One table per kind of value, (中文, English) as above. `say` looks a value up; a value with
# no entry is shown as it is (and tests/test_console_words.py fails on it).

VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "posting_status": {
        "draft": ("草稿", "draft"),
        "pending_vetting": ("待审核", "awaiting vetting"),
        "published": ("已发布", "published"),
        "closed": ("已关闭", "closed"),
        "filled": ("已招满", "filled"),
        "rejected": ("未通过", "rejected"),
    },
    "application_status": {
        "interested": ("已报名", "interested"),
        "shortlisted": ("候选", "shortlisted"),
        "confirmed": ("已录用", "confirmed"),
        "departed": ("已出发", "departed"),
        "withdrawn": ("已撤回", "withdrawn"),
        "rejected": ("未录用", "rejected"),
        "no_show": ("未到", "no show"),
    },
    "enrolment_status": {
        "enrolled": ("已报名", "enrolled"),
        "attended": ("已参加", "attended"),
        "completed": ("已结业", "completed"),
        "absent": ("缺席", "absent"),
        "withdrawn": ("已退出", "withdrawn"),
    },
    "training_status": {
        "open": ("报名中", "open"),
        "cancelled": ("已取消", "cancelled"),
    },
    "departure_status": {
        "scheduled": ("待出发", "scheduled"),
        "cancelled": ("已取消", "cancelled"),
        "departed": ("已出发", "departed"),
    },
    "departure_answer": {
        "confirmed": ("确认出发", "confirmed"),
        "declined": ("不能出发", "declined"),
        "no_answer": ("未回复", "no answer"),
    },
    "case_status": {
        "open": ("待处理", "open"),
        "in_progress": ("处理中", "in progress"),
        "resolved": ("已解决", "resolved"),
        "closed": ("已结案", "closed"),
    },
    "case_category": {
        "wages_unpaid": ("拖欠工资", "wages unpaid"),
        "contract": ("合同不符", "contract"),
        "fees": ("乱收费", "fees"),
        "safety": ("安全", "safety"),
        "ill_treatment": ("受到虐待", "ill treatment"),
        "other": ("其他", "other"),
    },
    "case_action": {
        "opened": ("提出", "reported"),
        "assigned": ("指派", "assigned"),
        "status": ("状态变更", "status changed"),
        "note": ("备注", "note"),
    },
    "message_status": {
        "queued": ("等待发送", "waiting"),
        "sending": ("发送中", "sending"),
        "sent": ("已发送", "sent"),
        "delivered": ("已送达", "delivered"),
        "undelivered": ("未送达", "not delivered"),
        "failed": ("发送失败", "failed"),
    },
    # Where a broadcast stands (broadcasts.lifecycle), as its page's badge says it: the
    # console's `bc_status_<status>` keys read these.
    "broadcast_status": {
        "scheduled": ("已预约", "Scheduled"),
        "waiting_for_morning": ("等早上发送", "Waiting for the morning"),
        "fanning_out": ("准备中", "Preparing"),
        "sending": ("发送中", "Sending"),
        "done": ("已发完", "Done"),
        "cancelled": ("已取消", "Cancelled"),
    },
    "recruitment_day_status": {
        "scheduled": ("已安排", "scheduled"),
        "cancelled": ("已取消", "cancelled"),
    },
    "interview_status": {
        "invited": ("已邀请", "invited"),
        "choosing": ("选择时段中", "choosing a slot"),
        "booked": ("已预约", "booked"),
        "shortlisted": ("通过（入围）", "shortlisted"),
        "rejected": ("未通过", "rejected"),
        "no_show": ("未到", "did not come"),
        "cancelled": ("已取消", "cancelled"),
    },
    # Who answered the arrival question for a worker: their family (1: heard from them).
    "family_answer": {
        "1": ("已联系上", "heard from them"),
        "2": ("未联系上", "not heard from them"),
    },
    "role": {
        "admin": ("管理员", "administrator"),
        "officer": ("工作人员", "officer"),
        "agency": ("中介", "agency"),
    },
    "language": {
        "zh": ("中文", "Chinese"),
        "en": ("英文", "English"),
    },
    # How something came in: a villager's registration, application, enrolment or case.
    "channel": {
        "ussd": ("USSD 菜单", "USSD menu"),
        "sms": ("短信", "SMS"),
        "officer": ("工作人员代办", "by an officer"),
        "checkin": ("回访回复", "check-in answer"),
        "console": ("工作台", "console"),
        "import": ("名单导入", "file import"),
        "wechat": ("微信", "WeChat"),
    },
    "sex": {
        "f": ("女", "female"),
        "m": ("男", "male"),
    },
    "queue": {
        "schedules": ("定时任务", "schedules"),
        "messages": ("短信", "messages"),
        "broadcasts": ("群发", "broadcasts"),
        "default": ("其他任务", "other jobs"),
    },
    # What a message was (the part of `Message.kind` before any ':').
    "message_kind": {
        "reply": ("回复", "reply"),
        "registration": ("登记确认", "registration"),
        "opt_out": ("退订确认", "opt-out"),
        "broadcast": ("群发", "broadcast"),
        "application": ("报名通知", "application"),
        "family": ("家人联系", "family contact"),
        "ussd_dropped": ("USSD 中断提示", "USSD dropped"),
        "wechat_code": ("微信验证码", "WeChat code"),
        "case": ("问题反映", "case"),
        "checkin": ("回访", "check-in"),
        "erased": ("注销通知", "erasure notice"),
        "alert": ("岗位提醒", "job alert"),
        "training": ("培训通知", "training notice"),
        "training-cancelled": ("培训取消", "training cancelled"),
        "training-lost": ("培训报名未成功", "training enrolment lost"),
        "apply-lost": ("报名未成功", "application lost"),
        "departure": ("出发通知", "departure notice"),
        "reminder": ("提醒", "reminder"),
    },
}

# The reasons Jobline itself gives a failed message (a provider's own words are shown as
# they are): (start of the reason, 中文, English).
FAILURE_REASONS: tuple[tuple[str, str, str], ...] = (
    ("the broadcast was cancelled", "群发已取消", "the broadcast was cancelled"),
    ("the villager opted out", "村民已退订，未发送", "the villager opted out before it was sent"),
    ("the worker stopped mid-send", "发送中断，为避免重复未重发",
     "the worker stopped mid-send; not resent"),
    ("gave up after", "多次重试仍失败", "gave up after several attempts"),
)


def say(language: str, kind: str, value: Any) -> str:
    """A value of `kind` (a status, a channel, a role…) in `language`; unknown values as
    they are. Enum members are looked up by their value."""
    if value is None or value == "":
        return "—"
    raw = str(getattr(value, "value", value))
    table = VALUES.get(kind, {})
    found = table.get(raw)
    if found is None and kind == "message_kind":  # 'training-cancelled:12', 'alert:3'…
        head = raw.split(":", 1)[0]
        found = table.get(head) or next(
            (pair for key, pair in table.items() if head.startswith(key)), None)
    if found is None:
        return raw
    return found[0] if language == "zh" else found[1]


def failure_reason(language: str, reason: str | None) -> str:
    """Why a message failed: Jobline's own reasons in words, a provider's as it gave it."""
    if not reason:
        return "—"
    for start, zh, en in FAILURE_REASONS:
        if reason.startswith(start) or start in reason:
            return zh if language == "zh" else en
    if "identical texts" in reason:
        return "重复短信过多，已拦截" if language == "zh" else "too many identical texts"
    return reason


@cache
def _places() -> dict[str, tuple[str, str, str | None]]:
    """Every area code of `data/areas.json`: (中文, English, parent code)."""
    city = area_data()["city"]
    found: dict[str, tuple[str, str, str | None]] = {city["code"]: (city["zh"], city["en"], None)}
    for county in city["counties"]:
        found[county["code"]] = (county["zh"], county["en"], city["code"])
        for township in county.get("townships", []):
            found[township["code"]] = (township["zh"], township["en"], county["code"])
    return found


def place(language: str, code: str | None) -> str:
    """An area by name: a township as 'county · township', a county or the city alone."""
    if not code:
        return "—"
    found = _places().get(code)
    if found is None:
        return code
    zh, en, parent = found
    name = zh if language == "zh" else en
    if parent is not None and parent in _places() and _places()[parent][2] is not None:
        above = _places()[parent]
        return f"{above[0] if language == 'zh' else above[1]} · {name}"
    return name


def province(language: str, name: str | None) -> str:
    """A province as stored (its English name) in `language`."""
    if not name:
        return "—"
    canonical = canonical_province(name)
    for division in provinces():
        if division["en"] == canonical:
            return str(division["zh"] if language == "zh" else division["en"])
    return name


def city(language: str, name: str | None, province_name: str | None) -> tuple[str, bool]:
    """A destination city as stored (its English name, from the gazetteer) in `language`, and
    whether the gazetteer knows it (a city it does not know reads as it was typed)."""
    if not name:
        return "—", True
    zh, en = city_names(name, province_name or "")
    known = (zh, en) != (name, name)
    return (zh if language == "zh" else en), known


def skill(language: str, code: str) -> str:
    """A skill's name."""
    for option in skills():
        if option.key == code:
            return option.zh if language == "zh" else option.en
    return code


def skill_list(language: str, codes: Any) -> str:
    """Skills by name, joined as the language joins a list."""
    names = [skill(language, str(c)) for c in (codes or ())]
    return word(language, "list_sep").join(names) if names else "—"


def values_in(language: str, kind: str) -> dict[str, str]:
    """Every value of `kind` and its word (for a page's script, e.g. a polled status)."""
    return {value: pair[0] if language == "zh" else pair[1]
            for value, pair in VALUES[kind].items()}


# What was wrong with a form's field, by the kind of error the API's input models report
# (pydantic's `type`, its `ctx` filled in); any other error in the API's own words.
FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "missing": ("必填。", "Required."),
    "int_parsing": ("请填写整数。", "A whole number, please."),
    "int_type": ("请填写整数。", "A whole number, please."),
    "float_parsing": ("请填写数字。", "A number, please."),
    "greater_than_equal": ("不能小于 {ge}。", "At least {ge}."),
    "less_than_equal": ("不能大于 {le}。", "At most {le}."),
    "greater_than": ("必须大于 {gt}。", "More than {gt}."),
    "less_than": ("必须小于 {lt}。", "Less than {lt}."),
    "string_too_long": ("最多 {max_length} 个字。", "At most {max_length} characters."),
    "string_too_short": ("不能为空。", "Cannot be empty."),
    "date_from_datetime_parsing": ("请填写日期。", "A date, please."),
    "date_parsing": ("请填写日期。", "A date, please."),
    "datetime_parsing": ("请填写日期和时间。", "A date and time, please."),
    "literal_error": ("请从列表中选择。", "Choose one of the list."),
    "enum": ("请从列表中选择。", "Choose one of the list."),
}


def field_error(language: str, error: Any) -> str:
    """A pydantic error of one field, in `language` where its kind is known."""
    found = FIELD_ERRORS.get(str(error.get("type")))
    if found is None:
        return str(error.get("msg", ""))
    text = found[0] if language == "zh" else found[1]
    try:
        return text.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(error.get("msg", ""))
