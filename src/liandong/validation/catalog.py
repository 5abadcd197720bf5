"""Every rule id the validator can report, with what it means in Chinese.

This table is the documentation of the rules: the tests fail when a rule is reported that is
not here, or is here without a test case under tests/cases/invalid/<rule-id>/."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleDoc:
    stage: str  # files | yaml | schema | cross-record | publish | change
    summary: str  # one line, Chinese
    explanation: str  # why the rule exists and how to fix a finding, Chinese


RULES: dict[str, RuleDoc] = {
    # files
    "files.unknown-folder": RuleDoc(
        "files", "文件不在记录类型文件夹中", "登记册只读取 registry/<类型>/<编号>.yaml；放在别处的文件会被报告而不是静默跳过，以免记录“丢失”。"
    ),
    "files.wrong-extension": RuleDoc("files", "扩展名不是 .yaml", "记录文件统一使用 .yaml 扩展名；.yml 或其他文件会被报告。"),
    "files.symlink": RuleDoc(
        "files",
        "登记册中有符号链接",
        "registry/ 中不接受任何符号链接，无论它指向哪里：指向仓库以外的链接会把无关文件发布出去；指向仓库内文件的链接会让一条记录出现两次，或让记录先被移走、只留下链接，再在下一次修改中连同链接一起删去而无从察觉。请把记录文件本身放在它的位置上。",
    ),
    "files.too-large": RuleDoc("files", "文件超过大小上限", "单个记录文件不超过 256 KB；过大的文件通常是误粘贴了长篇正文。"),
    "files.encoding": RuleDoc("files", "文件不是 UTF-8 编码", "所有记录文件必须以 UTF-8 保存；GBK 等编码会导致乱码。"),
    "files.unreadable": RuleDoc("files", "文件无法读取", "文件权限或磁盘问题导致无法读取。"),
    "files.schema-comment": RuleDoc(
        "files",
        "第 1 行的编辑器注释缺失或指向错误的模式",
        "每个记录文件的第 1 行是 # yaml-language-server: $schema=../../schemas/<类型>.schema.json，VS Code 等编辑器据此按该类型的模式提示字段、检查写法。缺少这一行（或写在别处）给出警告；指向其他类型的模式是错误，因为编辑器会据此给出错误的提示，这通常是从别的类型文件夹复制文件造成的。liandong new 新建的文件已带有这一行。",
    ),
    # yaml
    "yaml.syntax": RuleDoc("yaml", "YAML 语法错误", "缩进、冒号、引号等写法不符合 YAML 语法。"),
    "yaml.duplicate-key": RuleDoc("yaml", "字段重复", "同一层级写了两次同一个字段时，后一个会悄悄覆盖前一个，因此不允许。"),
    "yaml.alias": RuleDoc("yaml", "使用了锚点、别名或合并键", "锚点（&）、别名（*）和合并键（<<）让内容难以审阅，也可能被用来制造超大文档，因此不允许。"),
    "yaml.tag": RuleDoc("yaml", "使用了 YAML 标签", "以 ! 开头的标签会改变值的类型，记录中不需要也不允许。"),
    "yaml.not-mapping": RuleDoc("yaml", "文件内容不是一条记录", "每个文件必须是一个“字段: 值”的映射，不能是空文件、列表或单个值。"),
    "yaml.multiple-documents": RuleDoc("yaml", "一个文件中有多个 YAML 文档", "一个文件只放一条记录；--- 分隔的多个文档不允许。"),
    "yaml.complex-key": RuleDoc("yaml", "字段名不是简单文字", "字段名必须是一个词，不能是列表或映射。"),
    "yaml.too-deep": RuleDoc(
        "yaml",
        "列表或映射嵌套过深",
        "记录中的列表和映射最多嵌套 20 层（记录本身算第 1 层；模式中的字段远没有这么深）。更深的嵌套不会是正常的记录，通常是多写了括号 [ ] { } 或缩进有误；拒绝它也使检查程序不会因为嵌套过深而中断，其他文件照常检查。",
    ),
    "yaml.number-too-long": RuleDoc("yaml", "数字过长", "不加引号的数字最多 600 位；记录中的数字（序号、数量）都很短，过长的数字通常是漏了引号的文字。"),
    # schema
    "schema.required": RuleDoc("schema", "缺少必填字段", "模式规定的必填字段没有填写，或填写了某字段却缺少与之配套的字段。"),
    "schema.unknown-field": RuleDoc("schema", "未知字段", "字段名拼写错误或模式中没有这个字段；提示中会给出最接近的字段名。"),
    "schema.type": RuleDoc("schema", "值的类型不对", "例如应为文字却写成了数字、应为列表却写成了单个值。"),
    "schema.enum": RuleDoc("schema", "取值不在允许范围内", "状态、类别等字段只能填写规定的英文代码；提示中列出全部可选值及其中文含义。"),
    "schema.format": RuleDoc("schema", "格式无效", "例如日期必须是日历上存在的日子（2021-02-30 无效）。"),
    "schema.pattern": RuleDoc(
        "schema",
        "写法不符合规定",
        "例如编号只能用小写字母、数字和连字符；发文字号的年份要用六角括号〔〕；名称等一行文字不能含换行、控制字符和零宽空格等看不见的字符；任何文字都不能含文字方向控制符（它们会让审阅者看错文字的顺序）。",
    ),
    "schema.size": RuleDoc("schema", "长度或数量超出范围", "文字过长或为空、列表项太少、数值超出范围。"),
    "schema.unique": RuleDoc("schema", "列表中有重复项", "单位列表等不能重复列出同一项。"),
    "schema.conflict": RuleDoc("schema", "互斥的字段同时填写", "例如任务来源只能是文件条款或会议议定事项之一。"),
    "schema.other": RuleDoc("schema", "不符合模式的其他要求", "其他模式约束；消息中给出原始说明。"),
    # cross-record
    "id.mismatch": RuleDoc("cross-record", "编号与文件名不一致", "记录的 id 必须与文件名（不含 .yaml）相同，链接和引用才可靠。"),
    "id.duplicate": RuleDoc("cross-record", "编号重复", "编号在整个登记册中唯一，即使在不同类型的文件夹中也不能重复。"),
    "id.reserved": RuleDoc(
        "cross-record",
        "编号与网站页面的名称相同",
        "网站把每条记录写成 <类型>/<编号>/ 页面，同一文件夹中还有列表页 index 和某些类型自己的页面（联合检查的 calendar 检查日历、enterprises 按企业查看）；编号与这些名称相同的记录会占据该页面的位置，因此不允许。请换一个编号。",
    ),
    "ref.unknown-id": RuleDoc("cross-record", "引用的编号不存在", "引用其他记录时必须填写已存在的编号；提示中给出最接近的编号。"),
    "ref.wrong-type": RuleDoc("cross-record", "引用了错误类型的记录", "例如牵头单位必须引用单位记录，而不是会议记录。"),
    "ref.unknown-clause": RuleDoc(
        "cross-record",
        "引用的条款不存在",
        "引用文件条款时，条款编号必须在该文件的 clauses 中列出（括号写全角或半角都算同一条款）。引用某条中的一款或一项（如 第六条第二款）时，"
        "该条已列出、其下各部分都未列出也可以，按该条的正文核对原文依据；已列出其中一部分的，引用的部分也要列出。",
    ),
    "ref.unknown-decision": RuleDoc("cross-record", "引用的议定事项不存在", "任务来源于会议时，议定事项序号必须在该会议的 decisions 中。"),
    "ref.escalation-target": RuleDoc(
        "cross-record",
        "上报对象不是可以报请决策的单位",
        "需要上级决策的事项只能报请政策规定的对象：登记册配置 registry/liandong.yaml 的 escalation 列出可以报请的层级（levels）和另外可以报请的单位（bodies），并写明依据条款（basis）。上报对象不在其中时，通常是选错了单位；政策确有规定的，请在配置中加上。",
    ),
    "config.unknown-ref": RuleDoc(
        "cross-record",
        "登记册配置引用了不存在的记录",
        "配置中的园区主要文件（zone.documents）、另外可以报请的单位（escalation.bodies）和依据文件（escalation.basis.document）须是登记册中已有记录的编号。",
    ),
    "config.inconsistent": RuleDoc(
        "cross-record",
        "登记册配置前后不一致",
        "可以报请的层级（escalation.levels）须是本登记册使用的层级（levels）之一；资金来源（fund_sources）须保留 other（其他来源），原文未列出的来源记为其他来源；列表的列和筛选（lists）须写记录类型和它的字段名。",
    ),
    "roles.not-quoted": RuleDoc(
        "cross-record",
        "分工的原文依据不是条款原话",
        "分工（roles）中的原文依据（as_written）在网站上以引号显示为原文，因此必须逐字摘自来源条款的正文。原文没有写明、由登记册推定的分工，不写原文依据，写 inferred: true 和推定理由（basis），网站标为“登记册推定”。",
    ),
    "roles.lead": RuleDoc(
        "cross-record",
        "分工与“来源未明确牵头单位”不一致",
        "分工中角色为牵头、负责、统筹安排、委托的单位算作牵头单位（common.schema.json 的 x-leading）。督办任务要有牵头单位；来源确实没有写明时设 unassigned_in_source: true，这时分工中不能有牵头的角色。",
    ),
    "ref.signer-not-lead": RuleDoc(
        "cross-record",
        "签收单位不是牵头单位",
        "签收（acknowledgement）表示牵头单位已收到任务、开始计时：督办任务由牵头单位之一签收，协调事项由第一个责任单位（牵头）签收。签收单位填错会让未签收的单位看起来已经签收；请把 acknowledgement.by 改为牵头的单位，或先核对牵头单位。",
    ),
    "dates.order": RuleDoc(
        "cross-record",
        "日期先后顺序不对",
        "例如办理时限早于交办日期、签收早于交办或提出日期、纪要印发早于会议、统筹安排早于它所安排的申报、签收早于推送；办理进度、延期记录、催办记录和退回重办都按日期先后排列，新的写在最后；退回重办的日期不能早于它退回的办结日期，重新办结的日期不能早于最近一次退回。",
    ),
    "dates.meeting-end": RuleDoc(
        "cross-record",
        "会议结束时间不晚于开始时间，或没有开始时间",
        "结束时间只在通知或纪要写明时填写，与开始时间同一天（北京时间 24 小时制），必须晚于开始时间；日历据此写出会议的结束时间，不推测会议时长。跨天的会议只填开始时间，在备注中写明会期。",
    ),
    "dates.deadline-extension": RuleDoc(
        "cross-record",
        "办理时限与延期记录不一致",
        "延期后，办理时限必须等于最近一次延期批准的新时限，改时限必须有延期记录；第二次及以后的延期填写原办理时限时，应等于上一次延期批准的新时限。",
    ),
    "dates.future-entry": RuleDoc(
        "cross-record",
        "历史记录的日期晚于今天",
        "办理进度、延期申请、催办和退回重办记录的是已经发生的事，日期不能晚于今天（北京时间；liandong validate --today 或 SOURCE_DATE_EPOCH 可指定“今天”）；会议日期晚于今天时也不能已有议定事项，签收日期也不能晚于今天。这些记录只增不改：日期写在将来的一条合并后就无法更正，之后按实际日期新增的记录又会因排在它前面而违反日期顺序，记录就被锁死。计划或预计的日期请写在内容中。联合检查的申报、安排、未予安排、撤回和取消日期，登记为已检查的检查日期，信息推送的推送、签收和撤回日期，同样记录已经发生的事，不能晚于今天。",
    ),
    "dates.late-extension": RuleDoc(
        "cross-record",
        "原办理时限已过才申请延期",
        "延期应在原办理时限到期前申请（原办理时限是上一次延期的新时限，第一次延期填写 previous_deadline）。到期后才申请、经批准作为例外处理的，须在该条延期记录中填写 late：批准单位（approved_by）和逾期申请的原因（reason）；网站和报告仍显示原时限到期后至申请日的逾期，办结是否按期按逾期时的办理时限判断。标注 late 的第一次延期必须填写原办理时限；按期申请却标注 late 的给出警告。",
    ),
    "lifecycle.missing-field": RuleDoc(
        "cross-record", "状态要求的字段未填写", "例如已办结的任务必须有办结情况，已上报的协调事项必须有上报情况；各状态的要求见 schemas/<类型>.lifecycle.yaml。"
    ),
    "numbering.duplicate": RuleDoc(
        "cross-record",
        "条款、议定事项或措施的编号重复",
        "同一文件的条款编号（三(一) 与 三（一） 算同一编号）、同一会议的议定事项序号、同一机制的措施代码不能重复，否则引用会有歧义。",
    ),
    "code.uscc-check": RuleDoc("cross-record", "统一社会信用代码校验码错误", "按 GB 32100-2015 计算的校验码与第 18 位不符，通常是抄错了一位。"),
    "kind.field": RuleDoc(
        "cross-record",
        "填写了不属于这一类记录的字段",
        "有些类型的记录分几类（kind），例如联合检查分检查申报、统筹安排和单独检查；只用于某几类的字段在模式中标有 x-kinds。别的类别填写它，网站不会显示、也不会用它计算，通常是复制别的记录时留下的，或记录类别填错了。请删去这一项，或改正 kind。",
    ),
    "nature.standing-deadline": RuleDoc(
        "cross-record",
        "长期执行的规定填写了办理时限或延期",
        "事项性质为长期执行的规定（nature: standing，例如“每季度召开一次”）的任务没有办结的一天：网站不计逾期、即将到期和无进展，也不列入逾期报告和催办提醒，因此不填办理时限（deadline）和延期记录（extensions）。原文对时间的写法（及时、每季度、长期）写在原文时限（timing_as_written）中；确有办理时限的工作，事项性质应为 task（限期任务）。",
    ),
    "ref.parent-cycle": RuleDoc(
        "cross-record",
        "上级单位或上级机制形成循环",
        "单位的上级单位（parent，可以有多个，如两个政府共同设立的单位）和机制的上级机制（parent）都不能绕回记录自己：甲的上级是乙、乙的上级又是甲时，这一圈单位没有最上级，审核团队无从继承，下级单位、下设机制的列表也会兜圈子。报错列出这一圈的编号；请删去或改正其中写错的上级。",
    ),
    "ref.mechanism-kind": RuleDoc(
        "cross-record",
        "所属机制的类别不对",
        "联合检查记录属于联合检查和检查周机制，信息推送记录属于信息推送机制，集中审理记录属于集中审理机制（模式中的 x-mechanism-kind）；所属机制填成别的机制，机制页面就会列出不属于它的运行记录。请改填相应类别的机制编号。",
    ),
    "inspection.wrong-kind": RuleDoc(
        "cross-record",
        "引用的联合检查记录不是检查申报",
        "统筹安排的“所安排的申报”和单独检查的“对应的申报”只能引用检查申报（kind: application）：统筹安排安排的是部门自行申报的检查（实施意见三(一)3），不能安排另一项安排或单独检查。",
    ),
    "inspection.arrangement-state": RuleDoc(
        "cross-record",
        "检查申报的状态与统筹安排不一致",
        "一件申报由哪项统筹安排安排，只在统筹安排的 applications 中写一次；申报的状态是它的流转步骤，须与之一致：被未取消的统筹安排列出的申报状态为已安排，状态为已安排的申报须被一项未取消的统筹安排列出。安排或取消安排时，请在同一个拉取请求中同时修改统筹安排和申报的状态（取消后申报改回已申报）。",
    ),
    "push.direction": RuleDoc(
        "cross-record",
        "信息推送的方向与类别不符",
        "政策文件规定了信息推送的两个方向：园区管委会（功能区一级）向市、县相关部门推送行政审批信息；市、县相关部门向园区管委会推送上级有关政策和监督信息。推送单位或接收单位的层级与信息类别不符时，通常是类别选错了，或推送单位、接收单位填反了。",
    ),
    "push.receipt": RuleDoc(
        "cross-record",
        "签收单位不是接收单位，或重复签收",
        "签收记录说明哪个接收单位收到了推送，网站据此列出尚未签收的单位。签收单位必须是接收单位之一，或接收单位之下的单位（接收单位写作“某市相关部门”等统称时，由具体部门签收）；每个单位签收一次。",
    ),
    # how a power is held (授权、委托、下放、直接行使)
    "power.granted-by": RuleDoc(
        "cross-record",
        "授予单位与行使方式不符",
        "权力事项的行使方式（mode）决定要不要写授予单位（granted_by）：授权写授权的单位，委托写委托的单位（受委托的实施主体以它的名义行使），下放写下放前实施该事项的单位；直接行使是实施主体依法行使本单位的权限，不写授予单位。缺了授予单位，网站就说不出权限从哪里来；直接行使却写了授予单位，通常是行使方式填错了。",
    ),
    "power.same-unit": RuleDoc(
        "cross-record",
        "授予单位与实施主体是同一个单位",
        "授权、委托和下放都是一个单位把权限交给另一个单位：授予单位（granted_by）与实施主体（implementer）不能相同。委托时授予单位填委托机关、实施主体填受委托机关；单位行使本单位的权限时，行使方式填直接行使（direct），不写授予单位。",
    ),
    "power.delegation-document": RuleDoc(
        "cross-record",
        "已生效的委托没有委托文件",
        "委托须有书面的委托书或委托决定，写明委托事项、权限范围和期限（行政处罚法第二十条；行政许可法第二十四条要求委托机关公告委托的内容）。委托的事项状态为实施中、暂停实施、已收回或已到期时，须在 delegation.document 中填写已在 registry/documents/ 登记的委托文件；尚未生效的委托状态填拟实施（proposed），可以暂不填写。",
    ),
    "power.delegation-mode": RuleDoc(
        "cross-record",
        "不是委托的事项填写了委托信息",
        "委托信息（delegation：委托文件、委托权限范围、委托期限）只用于行使方式为委托（delegated）的事项。授权、下放和直接行使的事项不填；规定它们行使方式的文件条款写在政策依据（source）中。",
    ),
    # the funds ledger (资金台账, 三(四))
    "funds.below-zero": RuleDoc(
        "cross-record",
        "资金台账的余额在某一天低于零",
        "资金池只能使用已经归集的资金：按日期先后计算，每一天结束时的余额（截至当天的收入合计减支出合计，当天的收入和支出先相抵）不能小于零；平台公司的账户同样按融资和支出计算。报告指出余额第一次低于零的日期、缺口和当天最后一笔支出。通常是支出的金额或日期写错，或者当天或以前到账的资金还没有登记。",
    ),
    "funds.other-source": RuleDoc(
        "cross-record",
        "资金来源或融资渠道不是原文所列的，没有写明是什么",
        "政策文件所列的资金来源（登记册配置 registry/liandong.yaml 的 fund_sources）和融资渠道（资产证券化、企业债、私募债、债务融资工具、银行贷款和引入社会投资）之外的，记为其他来源或其他渠道。其他来源须写明来源名称、层级和拨付文件，其他渠道须写明说明；原文所列的来源不填来源名称，来源层级如果填写须与来源一致。",
    ),
    # joint reviews (集中审理, 三(三)2) and the working days they count
    "review.unknown-measure": RuleDoc(
        "cross-record",
        "适用措施不是所属机制的措施",
        "集中审理的适用措施填写所属机制“具体措施”中的措施代码（code），例如 joint-drawing-review（联合图审）；提示中列出该机制的全部措施代码。机制新增措施时，请先在机制记录中登记措施和它的代码。",
    ),
    "review.duplicate-department": RuleDoc(
        "cross-record",
        "被通知部门重复",
        "每个被通知部门只列一次，签收、出席和答复写在同一项中；重复列出会让同一个部门既有答复又被算作未答复。",
    ),
    "review.absent-answered": RuleDoc(
        "cross-record",
        "部门既缺席又有答复",
        "缺席默认是既未出席会议、也未提出意见的部门视为同意；已经答复的部门按它的答复处理，不是缺席默认。未出席但提交了书面意见的，出席情况填 written（书面意见）。",
    ),
    "review.notice-unproven": RuleDoc(
        "cross-record",
        "按默认视为同意却没有送达证明",
        "缺席默认和超时默认以部门确已收到通知为前提（签字确认收悉）：须有签收日期，或者通知日期加送达记录（送达方式和凭证）。记为缺席的部门，以及作出决定时已过答复时限仍未答复的部门，没有送达证明就不能视为同意。这条规则只看记录本身、不看今天的日期，不会因为时间推移让昨天还有效的记录失效；时限已过又没有送达证明的部门，网站显示为“逾期未答复”。",
    ),
    "review.essential-deferred": RuleDoc(
        "cross-record",
        "主要材料不能容缺",
        "容缺预审只允许非主要（次要）材料暂缺、限期补正，基本条件和主要材料必须齐全；主要材料缺失的，应补齐后再受理。",
    ),
    "review.decision-outstanding": RuleDoc(
        "cross-record",
        "容缺材料未补齐就作出了决定",
        "容缺预审的材料补齐之前不能作出审理决定：作出决定时，每份容缺材料都应已补正，补正日期不晚于决定日期。",
    ),
    "dates.unknown-holidays": RuleDoc(
        "cross-record",
        "工作日时限用到了节假日安排未知的年份",
        "按工作日计算的时限不计法定节假日、计入调休上班日，每年的安排由国务院办公厅通知公布。本系统的节假日数据（chinesecalendar）只包含已经公布的年份，时限延伸到别的年份时不作猜测，而是报错：请把该年的通知登记为文件记录，在 holidays 中列出放假和调休上班的日期。",
    ),
    "dates.holiday-notice": RuleDoc(
        "cross-record",
        "节假日安排的日期有误",
        "文件的节假日安排（holidays）只列该年的日子，每一天只写一次；同一年的安排只在一份文件中登记。",
    ),
    # publication safety
    "publish.id-card": RuleDoc("publish", "公开记录中有身份证号码", "经校验码验证的 18 位居民身份证号码不得出现在公开记录中（15 位旧号码给出警告）。"),
    "publish.internal-ref": RuleDoc(
        "publish", "公开记录引用了内部记录（警告）", "内部记录不在公开网站发布，公开记录中对它的引用会被删去；确认是否应当公开被引用的记录。"
    ),
    "publish.mobile": RuleDoc("publish", "公开记录中有手机号码", "11 位手机号码属于个人信息，不得出现在公开记录中；单位办公电话不受限制。"),
    # changes against the base branch (liandong check-changes, on every pull request)
    "change.record-deleted": RuleDoc(
        "change",
        "删除了已有记录",
        "记录一经登记只能通过状态退出（如已终止、已撤回、已撤销），不能删除文件；否则引用它的记录和已发布的链接都会失效，历史也无从查考。把文件换成符号链接也算删除（符号链接不是记录）。把放错文件夹的记录移到它所属的类型文件夹、编号不变，不算删除。",
    ),
    "change.id-changed": RuleDoc(
        "change",
        "更改了记录编号",
        "一条记录消失、同时出现类型和名称都相同的新编号记录，视为改了编号。编号是其他记录和网址引用它的依据，一经使用不能更改；请把文件名和 id 改回原编号。",
    ),
    "change.illegal-transition": RuleDoc(
        "change",
        "状态变化不符合流转规定",
        "状态只能沿 schemas/<类型>.lifecycle.yaml 中列出的流转变化，中间状态不能跳过，例如已交办的任务要先改为办理中、办结后再销号；提示中列出当前状态之后允许的状态。",
    ),
    "change.transition-needs-entry": RuleDoc(
        "change",
        "状态变化缺少对应的记录",
        "有些状态变化必须同时新增一条记录，例如办结后退回重办须在退回重办（reopenings）中写明日期和理由，延期须在延期记录（extensions）中写明批准单位、新时限和理由；要求见 lifecycle.yaml 中的 adds。",
    ),
    "change.deadline-without-extension": RuleDoc(
        "change",
        "改了办理时限却没有延期记录",
        "办理时限只能经批准延期来更改：改 deadline 时须在 extensions 末尾新增一条延期记录，其新办理时限等于新的 deadline，并写明批准单位和理由。首次填写办理时限不受此限。",
    ),
    "change.append-only": RuleDoc(
        "change",
        "修改或删除了已有的历史记录",
        "办理进度、延期记录、催办记录、退回重办和会议议定事项只增不改：已有条目不能修改、删除或在其前插入，更正请在最后新增一条。",
    ),
    "change.example-to-real": RuleDoc(
        "change", "示例记录改为正式记录（警告）", "原标为 example: true 的示例记录去掉了示例标记，将作为正式数据发布；请确认内容已核实并由负责人审核。"
    ),
    "change.new-record-state": RuleDoc(
        "change",
        "新记录不是从初始状态开始（警告）",
        "新建的记录通常从 lifecycle.yaml 中 initial 列出的状态开始（例如任务从已交办开始）；登记已在办理中的事项时可以例外，但需审阅者核对。",
    ),
    "change.type-changed": RuleDoc(
        "change",
        "更改了记录的类型",
        "记录移到另一个类型文件夹、编号不变，即改了它的类型（例如把督办任务改成协调事项）。类型决定记录适用的模式和状态流转，改类型会绕过原类型的规则、让已发布的链接失效，因此不允许：请把文件移回原文件夹；确属另一类事项的，让原记录以状态退出，另以新编号新建记录。例外：原来放错文件夹、不符合原文件夹模式的记录，移到符合其模式的文件夹不受此限。",
    ),
    "change.made-internal": RuleDoc(
        "change",
        "公开记录改为内部（警告）",
        "把 visibility 由 public（或未填）改为 internal，记录合并后将从公开网站撤下，已公开的页面和链接失效，公开记录中对它的引用也会被删去。这可能是正当的（例如误公开了不宜公开的内容），也可能是悄悄撤下应当公开的信息，因此给出警告，并在变更摘要中最先单独列出，请负责人审核撤下的理由。",
    ),
    "change.rules-changed": RuleDoc(
        "change",
        "修改了模式、状态流转定义或登记册配置（警告）",
        "check-changes 始终按基准分支（拉取请求的目标分支）中的 schemas/ 检查记录的变更，拉取请求自带的规则不用于检查它自己：否则一个拉取请求可以先放宽规则（例如允许已销号的任务重新办理）、再做只有新规则才允许的修改。登记册配置 registry/liandong.yaml（可以报请决策的层级、代码表等）也是规则，同样按基准分支中的版本检查。修改、新增或删除 schemas/ 中的 *.schema.json 或 *.lifecycle.yaml，或修改登记册配置时给出警告并在变更摘要中列出，请负责人审核；规则合并后才用于此后的拉取请求，因此请把规则变更和依赖它的记录变更分成两个拉取请求。",
    ),
}
