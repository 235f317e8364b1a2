"""Chinese texts. USSD screens hold 80 characters in all: keep prompts terse."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # Shared pieces
    "language_name": "中文",
    "choose_language": "请选择语言",
    "retry": "输入有误，请重选",
    "no_more": "已是最后一页",
    "saved": "已保存",
    "ellipsis": "…",
    "list_sep": "、",
    "mark": "√",
    "back": "0 返回",
    "more_back": "9 更多 0 返回",
    "sex_m": "男",
    "sex_f": "女",
    "yes": "是",
    "no": "否",
    "not_given": "未填",
    "none": "无",
    # USSD screens
    "welcome": "欢迎使用临沧务工服务\n1 注册\n2 语言 Language",
    "menu": "临沧务工\n1 找工作\n2 我的报名\n3 培训\n4 反映问题\n5 我的资料\n6 语言 Language",
    "resume": "上次未完成\n1 继续\n2 重新开始",
    # Jobs (USSD)
    "jobs_title": "适合您的工作",
    "no_jobs": "暂无适合您的工作，请过几天再看。\n0 返回",
    "job_gone_line": "(已结束)",
    "job_gone": "该工作已停止报名。\n0 返回",
    "job_place_wage": "{place} 月薪{wage}元",
    "job_employer": "单位:{employer}",
    "job_agency": "中介:{agency}",
    "job_terms": "合同{months}个月,每天{hours}小时,每周{days}天",
    "board_yy": "包吃包住",
    "board_yn": "包吃,不包住",
    "board_ny": "包住,不包吃",
    "board_nn": "不包吃住",
    "job_dates": "出发:{departure} 截止:{deadline}",
    "date_unknown": "待定",
    "date_day": "{month}月{day}日",
    "date_year": "{year}年{month}月{day}日",
    "job_code": "核实码:{code}",
    "no_fee": "绝不交任何中介费！",
    "job_footer": "1 报名 0 返回",
    "apply_confirm": "确认报名：{title}？\n1 确认\n0 返回",
    "applied": "报名成功！中介筛选后会短信通知您。绝不交中介费。\n0 返回",
    "refused": "{reason}\n0 返回",
    "refuse_not_registered": "请先注册再报名。",
    "refuse_closed": "该工作已停止报名。",
    "refuse_not_eligible": "您不符合该工作的条件(性别或年龄)。",
    "refuse_already_applied": "您已报名该工作。",
    "refuse_full": "该工作名额已满。",
    # My applications (USSD)
    "apps_title": "我的报名",
    "no_apps": "您还没有报名。\n0 返回",
    "app_gone": "找不到该报名。\n0 返回",
    "app_gone_line": "(无)",
    "status_interested": "已报名",
    "status_shortlisted": "已入围",
    "status_confirmed": "已录用",
    "status_departed": "已出发",
    "status_withdrawn": "已撤回",
    "status_rejected": "未录用",
    "status_no_show": "未到场",
    "app_status": "状态:{status}",
    "app_reason": "原因:{reason}",
    "app_footer": "1 撤回 0 返回",
    "withdraw_confirm": "确认撤回报名：{title}？\n1 确认\n0 返回",
    "withdrawn": "已撤回报名。\n0 返回",
    "cannot_withdraw": "该报名不能撤回",
    # Gateway end screens, shown before the language is known: Chinese, then English
    "ussd_apology": "抱歉，系统出错，请稍后再拨。Sorry, please dial again later.",
    "ussd_too_long": "输入太长，请重新拨打。Too much input, please dial again.",
    "ussd_out_of_step": "会话已失效，请重新拨打。Session expired, please dial again.",
    "ask_name": "请输入姓名\n0 返回",
    "ask_sex": "性别\n1 男\n2 女\n0 返回",
    "ask_birth_year": "出生年份(如1990)\n0 返回",
    "pick_county": "选择县区",
    "pick_township": "选择乡镇",
    "pick_skills": "选择技能(可多选)",
    "skills_footer": "8 完成 0 返回",
    "skills_footer_more": "8 完成 9 更多 0 返回",
    "ask_outside": "愿意去省外工作吗？\n1 愿意\n2 不愿意\n0 返回",
    "ask_consent": "同意接收短信通知吗？\n1 同意\n2 不同意\n0 返回",
    "summary_title": "请核对：",
    "summary_footer": "1 确认 0 返回",
    "summary_footer_more": "1 确认 9 更多 0 返回",
    "summary_person": "{name} {sex} {year}年生",
    "summary_place": "{county}{township}",
    "summary_skills": "技能：{skills}",
    "summary_choices": "去省外：{outside} 短信：{consent}",
    "registered": "注册成功！谢谢您，{name}。",
    "registered_plain": "注册成功！谢谢您。",
    "registered_sms": "有合适的工作会短信通知您。",
    "registered_no_sms": "可随时拨打本号码查看工作。",
    "profile_title": "选号修改资料",
    "profile_name": "姓名:{value}",
    "profile_sex": "性别:{value}",
    "profile_birth_year": "出生:{value}",
    "profile_township": "乡镇:{value}",
    "profile_skills": "技能:{value}",
    "profile_outside": "去省外:{value}",
    "profile_consent": "短信:{value}",
    # Why an answer was refused (shared by USSD and SMS)
    "name_empty": "请填写姓名",
    "name_long": "姓名最多20个字",
    "name_chars": "姓名只能用文字",
    "sex_bad": "性别请回1(男)或2(女)",
    "year_format": "年份请填4位数字，如1990",
    "year_range": "年龄须在16-60岁({first}-{last}年生)",
    "yes_no_bad": "请回复1或2",
    "township_missing": "没找到乡镇：{text}",
    "township_many": "多个乡镇符合：{names}，请写全称",
    "township_too_many": "符合的乡镇太多，请写全称",
    "skills_bad": "请回复1-{count}的编号，没有回0",
    # SMS replies
    "sms_opted_out": "您已退订，不会再收到本平台短信。如需恢复，请回复 订阅 或 START。",
    "sms_opted_in": "已恢复订阅，您将收到工作和培训短信。回复 退订 可随时停止。",
    "sms_help": (
        "临沧务工短信服务：回复 工作 看工作，详情+编号 看详情，申请+编号 报名，我的 看报名，"
        "撤回+编号 取消，培训 看培训，核实+核实码 查招工真假，投诉 反映问题。"
        "回复 注册 登记求职信息，也可一条发送：注册 姓名，性别，出生年份，乡镇。"
        "退订 停止接收，订阅 恢复接收，注销 删除个人信息。"
    ),
    "sms_unknown": "没看懂您的短信。回复 工作 看工作，注册 登记求职信息，帮助 查看说明。",
    "sms_erase_confirm": (
        "确定注销并删除您在本平台的全部个人信息吗？请在10分钟内回复 是 确认，回复其他内容即取消。"
    ),
    "sms_erase_unregistered": "本号码没有在本平台登记，没有可注销的信息。",
    "sms_erased": "您的个人信息已从临沧务工平台删除，本平台不会再给您发短信。",
    "sms_still_opted_out": "您已退订本平台短信。如需恢复，请回复 订阅。",
    "sms_continue": "回复上一个问题即可继续注册。",
    "sms_ask_resume": "回复 1 即可用短信完成注册。",
    "wechat_welcome": (
        "欢迎关注临沧务工服务。请发送您的手机号码，我们会短信发送验证码，绑定后即可在这里使用。"
    ),
    "wechat_ask_phone": "请发送您的手机号码，绑定后即可在微信使用临沧务工服务。",
    "wechat_code_sent": "验证码已短信发送到 {phone}，请在这里发送验证码。",
    "wechat_code_wrong": "验证码不对。请发送短信里的验证码，或重新发送手机号码。",
    "wechat_linked": "已绑定 {phone}。发送 帮助 查看可用的功能。",
    "wechat_code_sms": "您的临沧务工微信验证码是 {code}，请勿告诉他人。",
    "ussd_dropped_register": (
        "通话中断了，您填的注册信息已保存。再拨 {code} 可继续，或回复 1 用短信完成注册。"
    ),
    "ussd_dropped_edit": "通话中断了，已保存的资料修改不会丢失。再拨 {code} 可继续修改。",
    "sms_reg_intro": "开始注册，共6个问题。",
    "sms_ask_name": "请回复您的姓名：",
    "sms_ask_sex": "您的性别？回复 1 男，2 女",
    "sms_ask_birth_year": "您哪年出生？如1990",
    "sms_ask_township": "您住在哪个乡镇？请回复乡镇名，如 {example}",
    "sms_pick_township": "多个乡镇符合，请回复编号：",
    "sms_ask_skills": "您有哪些技能？回复编号，可多个，用空格隔开，没有回0：",
    "sms_ask_outside": "愿意去省外工作吗？回复 1 愿意，2 不愿意",
    "sms_registered": "注册成功！谢谢您，{name}。有合适的工作会短信通知您。回复 退订 可停止接收。",
    "sms_already": "{name}，您已注册。查看或修改资料，请拨打本平台服务号码，选 5 我的资料。",
    "sms_form_format": "格式：注册 姓名，性别，出生年份，乡镇。例：注册 李明，男，1990，{example}",
    "sms_form_wrong": (
        "{reasons}。请改正后重发：注册 姓名，性别，出生年份，乡镇；或只回复 注册 逐项填写。"
    ),
    "sms_reason_sep": "；",
    # SMS job keywords
    "sms_jobs_title": "适合您的工作：",
    "sms_job_line": "{id} {title} {place} {wage}元",
    "sms_jobs_more": "共{count}个，拨打本平台服务号码可看全部。",
    "sms_jobs_hint": "回复 详情{id} 看详情，申请{id} 报名。绝不交中介费！",
    "sms_no_jobs": "暂无适合您的工作，有新工作会短信通知您。",
    "sms_no_jobs_register": "暂无适合您的工作。回复 注册 登记，有合适的工作会短信通知您。",
    "sms_job_head": "工作{id}：{title}",
    "sms_apply_hint": "回复 申请{id} 报名。",
    "sms_not_a_job": "没有适合您的编号{id}的工作，或已停止报名。回复 工作 看可报名的工作。",
    "sms_number_usage": "请在 {word} 后写工作编号，如 {word}12。回复 工作 看编号。",
    "sms_applied": (
        "已报名工作{id}：{title}。中介筛选后会短信通知您。"
        "回复 我的 看进度，撤回{id} 取消。绝不交中介费！"
    ),
    "sms_refused": "无法报名工作{id}：{reason}",
    "sms_register_first": "请先注册：回复 注册 开始登记，之后即可报名。",
    "sms_my_title": "您的报名：",
    "sms_my_line": "{id} {title}：{status}",
    "sms_my_reason": "(原因:{reason})",
    "sms_my_more": "另有{count}个未列出。",
    "sms_my_hint": "回复 撤回+编号 可取消报名。",
    "sms_no_apps": "您还没有报名。回复 工作 看适合您的工作。",
    "sms_withdrawn": "已撤回工作{id}的报名：{title}。",
    "sms_no_withdraw": "您没有可撤回的工作{id}报名。回复 我的 看您的报名。",
    "sms_verify_usage": "请回复 核实+核实码，如 核实 AB12CD。",
    "sms_verify_published": (
        "核实码{code}真实有效，是经审核的招工信息：{title}，单位{employer}，中介{agency}，"
        "月薪{wage}元。绝不交中介费！"
    ),
    "sms_verify_closed": (
        "核实码{code}曾是经审核的招工信息({title}，{employer})，但现已停止招工。"
        "如有人仍以此招人，请当心。"
    ),
    "sms_verify_closed_bare": "核实码{code}曾是经审核的招工信息，但现已停止招工。",
    "sms_verify_unknown": (
        "警告：{code}不是经审核的招工信息！不要交任何费用。有疑问请打官方电话{phone}。"
    ),
    # SMS sent when an agency decides (smsgateway.postings.applications)
    "sms_application_shortlisted": (
        "好消息：您报名的工作{job}({title})已入围，中介会联系您。绝不交中介费！"
    ),
    "sms_application_confirmed": (
        "恭喜：工作{job}({title})已录用您，出发安排会短信通知。核实码{code}。绝不交中介费！"
    ),
    "sms_application_rejected": (
        "很遗憾，工作{job}({title})未录用您。原因：{reason}。回复 工作 看其他工作。"
    ),
    "sms_job_alert": (
        "新工作{job}：{title}，{place}，月薪{wage_min}-{wage_max}元。核实码{code}。"
        "回复 详情{job} 看详情，申请{job} 报名。绝不交中介费！"
    ),
    "sms_apology": "抱歉，系统出错，您的短信已记录，请稍后再试。",
    "sms_apology_unrecorded": "抱歉，系统出错，您的短信未能记录，请稍后重发。",
    # Problem reports
    "sms_case_opened": (
        "您反映的问题已登记，编号 {number}。工作人员会尽快联系您，处理进展会短信告诉您。"
    ),
    # Labour-service files
    "sms_registered_by_officer": (
        "{name}，工作人员已为您在临沧务工服务登记。有合适的工作会短信通知您。"
        "回复 退订 可停止接收。"
    ),
    # --- Training ---
    "training_span": "{start}-{end}",
    "training_trade": "{trade}培训",
    "training_place": "地点:{place}",
    "training_dates": "时间:{dates}",
    "training_places": "剩余名额:{count}",
    "trainings_title": "可报名的培训",
    "training_line": "{start} {trade} {township}",
    "training_gone_line": "(已结束)",
    "no_trainings": "暂无可报名的培训，有新培训会短信通知您。\n0 返回",
    "training_already": "您已报名该培训。",
    "training_footer": "1 报名 0 返回",
    "training_gone": "该培训已停止报名。\n0 返回",
    "training_confirm": "确认报名{trade}培训({start}开课)？\n1 确认\n0 返回",
    "training_enrolled": "报名成功！开课前一天会短信提醒您。\n0 返回",
    "enrol_refuse_not_registered": "请先注册再报名培训。",
    "enrol_refuse_closed": "该培训已停止报名，请选其他培训。",
    "enrol_refuse_not_eligible": "该培训不在您所在的县，请选本县的培训。",
    "enrol_refuse_already_enrolled": "您已报名该培训。",
    "enrol_refuse_full": "该培训名额已满。请选其他培训，或等下期开班短信。",
    "sms_train_register_first": "请先注册：回复 注册 开始登记，之后即可报名培训。",
    "sms_no_trainings": "暂无可报名的培训，有新培训会短信通知您。",
    "sms_trainings_title": "可报名的培训：",
    "sms_training_line": "{id} {trade} {township} {dates} 余{left}个名额",
    "sms_training_line_mine": "{id} {trade} {township} {dates} (已报名)",
    "sms_trainings_more": "共{count}个，拨打本平台服务号码选 3 培训 可看全部。",
    "sms_trainings_hint": "回复 培训{id} 报名。",
    "sms_not_a_training": "没有编号{id}的可报名培训。回复 培训 看可报名的培训。",
    "sms_enrol_refused": "无法报名培训{id}：{reason}",
    "sms_enrolled": "已报名培训{id}：{trade}，{place}，{dates}。开课前一天会短信提醒您。",
    "sms_enrol_lost": (
        "抱歉，培训{id}({trade}，{dates})的最后名额刚被报走，您未报上。回复 培训 看其他培训。"
    ),
    "sms_training_notice": (
        "培训通知：{trade}培训，{place}，{dates}。报名请回复 培训{id}，"
        "或拨打本平台服务号码选 3 培训。"
    ),
    "sms_training_reminder": "提醒：您报名的{trade}培训明天开课，{place}，{dates}。请准时参加。",
    "sms_training_cancelled": "抱歉，培训{id}({trade}，{dates})已取消。回复 培训 看其他培训。",
    # --- end Training ---
    # --- Problem reports ---
    "case_wages_unpaid": "拖欠工资",
    "case_contract": "合同不符",
    "case_fees": "乱收费",
    "case_safety": "安全问题",
    "case_ill_treatment": "受虐待",
    "case_other": "其他",
    "problem_title": "反映问题",
    "problem_describe": "请简要说明问题：\n0 返回",
    "problem_anonymous": "是否对单位和中介隐去您的姓名？\n1 是，匿名\n2 否\n0 返回",
    "problem_confirm": "确认提交？\n{category}：{description}\n匿名：{anonymous}",
    "problem_confirm_footer": "1 提交 0 返回",
    "problem_sent": "已提交，编号将短信告诉您。",
    "problem_reported": "已登记，编号 {number}。工作人员会联系您，进展会短信告诉您。",
    "problem_not_registered": "请先注册，再反映问题。",
    "problem_description_empty": "请输入几个字说明问题",
    "problem_description_long": "太长了，最多{max}个字",
    "problem_category_bad": "请回复1到{count}的数字。",
    "sms_problem_intro": "反映问题，请回答几个简短问题。",
    "sms_ask_problem_category": "遇到什么问题？回复数字：{choices}",
    "sms_problem_choice": "{number} {name}",
    "sms_ask_problem_description": "请用一条短信说明问题：",
    "sms_ask_problem_anonymous": "是否对单位和中介隐去您的姓名？回复 1 是，2 否",
    "sms_problem_continue": "回复上一个问题即可继续反映问题。",
    "sms_problem_register_first": "请先注册：回复 注册。注册后即可反映问题。",
    "sms_case_in_progress": "问题编号 {number}：工作人员正在处理。",
    "sms_case_resolved": "问题编号 {number} 已解决。如仍未解决，请回复 投诉。",
    "sms_case_closed": "问题编号 {number} 已结案。",
    "sms_case_note": "{text}说明：{note}",
    # --- end problem reports ---
    # --- 出发、家人联系人、回访 ---
    "sms_departure_reminder": (
        "出发提醒：{title}，{when}在{place}集合。带队：{escort} {phone}。"
        "回复 是 / YES 确认，否 / NO 表示不能去。"
    ),
    "sms_departure_moved": (
        "出发时间有变：{title}，改为{when}在{place}集合。回复 是 / YES 确认，否 / NO 表示不能去。"
    ),
    "sms_departure_cancelled": "{title}原定{when}的出发已取消，新日期会短信通知您。",
    "sms_departure_going": "谢谢确认：{when}在{place}集合出发。如不能去请回复 否。",
    "sms_departure_not_going": (
        "已记录：您{when}不能出发，工作人员可能会联系您。如又能去请回复 是。"
    ),
    "sms_no_departure": (
        "您目前没有需要确认的出发。定好日期和地点后会短信通知您。回复 我的 查看报名。"
    ),
    "sms_family_usage": (
        "登记一位家人，在您出发和到达时收到短信：回复 家人+手机号，如 家人 13912345678。"
        "回复 家人 取消 可删除。"
    ),
    "sms_family_bad_phone": "“{text}”不是手机号。例：家人 13912345678",
    "sms_family_set": (
        "已登记家人 {phone}。我们只告诉对方：您的姓名、出发日期和工作城市、您已平安到达，"
        "不会告诉其他信息。回复 家人 取消 可删除。"
    ),
    "sms_family_off": "已删除您的家人联系人，对方不会再收到关于您的短信。",
    "sms_family_named": (
        "临沧务工：{name}登记您为家人联系人，其出发和到达时我们会短信告诉您。"
        "如不愿接收请回复 退订。"
    ),
    "sms_family_departed": "临沧务工：{name}今天已出发，去{city}务工。",
    "sms_family_arrived": "临沧务工：{name}已到达{city}，报平安。",
    "sms_checkin": "临沧务工回访（{title}）：您好吗？回复 1 一切平安，2 遇到问题，3 已回家。",
    "sms_checkin_reminder": "提醒：还没收到您的回复。回复 1 一切平安，2 遇到问题，3 已回家。",
    "sms_checkin_well": "谢谢，祝您工作顺利！如遇问题，随时发送 投诉。",
    "sms_checkin_problem": "工作人员会联系您。请发送 投诉 / PROBLEM 说明遇到的问题。",
    "sms_checkin_home": "欢迎回家！回访到此结束。回复 工作 看新工作。",
    "app_departure": "出发:{when} {place}",
    "app_answer": "您的答复:{answer}",
    "answer_confirmed": "去",
    "answer_declined": "不能去",
    "answer_none": "未答复",
    "app_departure_footer": "1 确认出发 2 不能去 0 返回",
    "departure_going": "谢谢确认，请按时集合。\n0 返回",
    "departure_not_going": "已记录您不能去，工作人员可能联系您。\n0 返回",
    # Broadcast templates (smsgateway/broadcasts/wording.py): an officer fills the variables
    "sms_broadcast_notice": "劳务办通知：{text}（临沧劳务输出）",
    "sms_broadcast_meeting": (
        "劳务办会议通知：请于{date}的{time}到{place}参加会议。"
    ),
    "sms_broadcast_training": (
        "劳务办培训通知：{trade}培训，{date}起在{place}，免费。回复 培训 报名。"
    ),
    # --- 承诺与实际（到达回访的两个问题） ---
    "sms_arrival_well": "很高兴您平安到达！工作和招工信息说的一样吗？回复 1 一样，2 不一样。",
    "sms_arrival_problem": (
        "工作人员会联系您。请问：工作和招工信息说的一样吗？回复 1 一样，2 不一样。"
    ),
    "sms_promise_job_q": "工作和招工信息说的一样吗？回复 1 一样，2 不一样。",
    "sms_promise_pay_q": "工资和工时跟招工信息说的一样吗？回复 1 一样，2 不一样。",
    "sms_promise_job_no": (
        "已记录，工作人员会跟进（案件编号另发短信）。工资和工时跟招工信息说的一样吗？"
        "回复 1 一样，2 不一样。"
    ),
    "sms_promise_kept": "谢谢！您的回答会告诉后来的乡亲哪些老板说话算数。",
    "sms_promise_broken": "谢谢！工作人员会跟进（案件编号另发短信）。您的回答会提醒后来的乡亲。",
    "sms_promise_noted": "您的回答已记录，谢谢。如需补充，请发送 投诉。",
    # --- end 承诺与实际 ---
    # the record a job's details show (k-anonymity: from 5 answers)
    "job_paid_last_month": "上月{answered}人中{paid}人足额领薪",
    # --- Cohorts: leaders, team reports, arrival noticed (followup/cohorts.py) ---
    "sms_leader_squad": (
        "临沧务工：您被指定为{when}去{city}务工这批人的班长。"
        "请照顾大家，有问题请发送 投诉 告诉我们。谢谢！"
    ),
    "sms_leader_vice_squad": (
        "临沧务工：您被指定为{when}去{city}务工这批人的副班长。"
        "请协助班长，有问题请发送 投诉 告诉我们。"
    ),
    "sms_leader_team": (
        "临沧务工：您是{city}第{team}组组长（{size}人）。我们询问时请回复 班组 {team} 正常，"
        "或几人有问题及什么问题，如：班组 {team} 2 工资晚发"
    ),
    "sms_team_report_due": (
        "临沧务工：请报告第{team}组情况。都好回复 班组 {team} 正常；"
        "有问题回复几人及什么问题，如：班组 {team} 2 工资晚发"
    ),
    "sms_team_report_chase": (
        "提醒：还没收到第{team}组的报告。请回复 班组 {team} 正常，或如 班组 {team} 2 工资晚发。"
        "没有回复，工作人员会打电话。"
    ),
    "sms_team_ok": "谢谢：第{team}组一切正常，已记录。下次报告时我们再询问。",
    "sms_team_problem": (
        "谢谢：第{team}组{count}人有问题，已记录。工作人员会联系您，问题编号随后短信告知。"
    ),
    "sms_team_already": "已记录第{team}组的报告，谢谢。如有新情况，请回复 班组 {team} 加新情况。",
    "sms_team_usage": (
        "报告本组情况：回复 班组+组号+正常，或几人有问题及什么问题，"
        "如：班组 12 正常 或 班组 12 2 工资晚发"
    ),
    "sms_team_not_leader": (
        "您不是第{team}组的组长。只有工作人员指定的组长可以发班组报告。有问题请发送 投诉。"
    ),
    "sms_team_too_many": (
        "第{team}组共{size}人：请回复 班组 {team} 加不超过{size}的人数，如：班组 {team} 2 工资晚发"
    ),
    "sms_family_heard_question": (
        "临沧务工：{name}去{city}后还没有回复我们。您有没有收到{name}的消息？"
        "回复 1 有，2 没有。工作人员会跟进。"
    ),
    "sms_family_heard_yes": "谢谢：您已收到{name}的消息，已记录。工作人员仍会回访所有务工人员。",
    "sms_family_heard_no": "谢谢。工作人员会马上设法联系{name}，有消息会打电话告诉您。",
    "sms_family_heard_already": "已记录，谢谢。工作人员正在跟进{name}的情况。",
    # --- end cohorts ---
    # --- pay checks (menus/paychecks.py, followup/paychecks.py) ---
    "sms_pay_check": (
        "临沧务工工资回访：您{month}的工资发了吗？回复 1 全额发放，2 只发了部分，3 没有发。"
        "没发全的，工作人员会为您立案追讨。"
    ),
    "sms_pay_check_reminder": (
        "提醒：您{month}的工资发了吗？回复 1 全额发放，2 只发了部分，3 没有发。"
    ),
    "sms_pay_full": "谢谢，已记录您{month}的工资已全额发放。下个月再问您。",
    "sms_pay_ask_amount": (
        "已记录：{month}工资没有发全，我们为您立案追讨。少发了多少钱？请回复金额（元），例如 1200"
    ),
    "sms_pay_ask_amount_again": "您{month}的答复已记录。少发了多少钱？请回复金额（元），例如 1200",
    "sms_pay_amount_bad": "请用数字回复少发的金额（元），例如 1200",
    "sms_pay_amount_noted": (
        "已记录：{month}少发{amount}元，已加入工资案件 {number}。工作人员会跟进并短信告诉您。"
    ),
    "sms_pay_already": "您{month}工资的答复已记录，谢谢。其他问题请发送 投诉。",
    "ussd_pay_check": "您{month}的工资发了吗？\n1 全额发放\n2 只发了部分\n3 没有发\n0 菜单",
    "ussd_pay_amount": (
        "已记录：{month}工资没有发全，我们为您立案追讨。少发了多少钱？"
        "请输入金额（元），例如 1200\n0 菜单"
    ),
    "ussd_pay_amount_bad": "请输入数字，例如 1200",
    "ussd_pay_amount_noted": (
        "已记录：{month}少发{amount}元。工作人员会跟进您的工资案件并短信告诉您。"
    ),
    # --- end pay checks ---
    # --- Recruitment days (interviews) ---
    "sms_interview_invite": "就业服务招聘日：{title}于{date}在{place}面试。回复1预约面试时间。",
    "sms_interview_slots": "{date}可约时间，回复序号：",
    "sms_interview_slot": "{number} {time}",
    "sms_interview_not_free": "{number}不是可约时间。",
    "sms_interview_none_free": "抱歉，{date}的面试时间已约满。回复 工作 看其他工作。",
    "sms_interview_booked": (
        "已预约：{date} {time}在{place}面试。前一天短信提醒您，结果由中介告知。"
    ),
    "sms_interview_already": "已记录：您的面试是{date} {time}，{place}。",
    "sms_interview_lost": "抱歉，面试时间{time}刚被别人约走。回复1查看可约时间。",
    "sms_interview_reminder": "提醒：您明天{time}在{place}参加{title}面试，请带身份证。",
    "sms_interview_cancelled": "抱歉，{title}{date}在{place}的面试取消了。回复 工作 看其他工作。",
    "ussd_interview": "招聘日{date} {place}：{title}\n1 预约时间\n0 菜单",
    "ussd_interview_slots": "{date}可约时间：",
    "ussd_interview_booked": "已预约：{date} {time}，{place}。会提醒您。",
    "ussd_interview_slot_taken": "该时间刚被约走。",
    # --- end Recruitment days ---
    # --- Templates for every message (issue 14): 问题进展附工作人员说明、报名未成功（按原因）、
    # 组合回复（分段变量）---
    "sms_case_in_progress_note": "问题编号 {number}：工作人员正在处理。说明：{note}",
    "sms_case_resolved_note": (
        "问题编号 {number} 已解决。如仍未解决，请回复 投诉。说明：{note}"
    ),
    "sms_case_closed_note": "问题编号 {number} 已结案。说明：{note}",
    "sms_apply_lost_not_registered": (
        "抱歉，您报名工作{id}({title})没有成功：请先注册再报名。回复 工作 看其他工作。"
    ),
    "sms_apply_lost_closed": (
        "抱歉，您报名工作{id}({title})没有成功：该工作已停止报名。回复 工作 看其他工作。"
    ),
    "sms_apply_lost_not_eligible": (
        "抱歉，您报名工作{id}({title})没有成功：您不符合该工作的条件(性别或年龄)。"
        "回复 工作 看其他工作。"
    ),
    "sms_apply_lost_already_applied": (
        "抱歉，您报名工作{id}({title})没有成功：您已报名该工作。回复 工作 看其他工作。"
    ),
    "sms_apply_lost_full": (
        "抱歉，您报名工作{id}({title})没有成功：该工作名额已满。回复 工作 看其他工作。"
    ),
    "sms_reply_composed": "临沧务工：{p1}{p2}{p3}{p4}{p5}{p6}{p7}{p8}{p9}{p10}{p11}{p12}{p13}{p14}",
    # --- end Templates for every message ---
}
