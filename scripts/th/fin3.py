"""Thai text for the finance module's third round: dimensions, receipts, imports, ภ.ง.ด. text."""

TH: dict[str, str] = {
    "A legacy journal export from ACCPAC or EFS (entry_ref, date, account_code, debit, credit, …)": (
        "รายการบัญชีที่ส่งออกจากระบบเดิม ACCPAC หรือ EFS (entry_ref, date, account_code, debit, credit, …)"
    ),
    "Actual is the expense posted to the ledger with this value; project and province have no allocation of their own.": (
        "เบิกจ่ายจริงคือค่าใช้จ่ายที่บันทึกบัญชีด้วยมิตินี้ โครงการและจังหวัดไม่มีวงเงินจัดสรรของตนเอง"
    ),
    "Awaited": "รอรับเงิน",
    "Budget vs commitment vs actual per": "งบประมาณ ผูกพัน และเบิกจ่ายจริง จำแนกตาม",
    "Check the file first: nothing is written while any row has an error, and a file already imported posts nothing new.": (
        "ตรวจสอบไฟล์ก่อน: ระบบจะไม่บันทึกสิ่งใดหากยังมีแถวที่ผิดพลาด และไฟล์ที่เคยนำเข้าแล้วจะไม่บันทึกซ้ำ"
    ),
    "Checked: ready to post": "ตรวจสอบแล้ว พร้อมบันทึก",
    "Choose an .xlsx or CSV file (at most 20 MB).": "กรุณาเลือกไฟล์ .xlsx หรือ CSV (ไม่เกิน 20 MB)",
    "Choose the fiscal year.": "กรุณาเลือกปีงบประมาณ",
    "Choose what the file holds.": "กรุณาเลือกประเภทข้อมูลในไฟล์",
    "Create receipt": "ออกใบรับเงิน",
    "Credit account": "บัญชีที่บันทึกเครดิต",
    "Dimensions": "มิติทางบัญชี",
    "Excel listing": "รายการแบบ Excel",
    "File (.xlsx or CSV)": "ไฟล์ (.xlsx หรือ CSV)",
    "Fiscal year (opening balances)": "ปีงบประมาณ (ยอดยกมา)",
    "Fund / source": "แหล่งเงิน",
    "fund / source": "แหล่งเงิน",
    "Government subsidy (เงินอุดหนุนรัฐบาล)": "เงินอุดหนุนรัฐบาล",
    "Import": "นำเข้าข้อมูล",
    "Import opening balances and legacy journals": "นำเข้ายอดยกมาและรายการบัญชีจากระบบเดิม",
    "Legacy journal template (ACCPAC / EFS)": "แบบฟอร์มรายการบัญชีระบบเดิม (ACCPAC / EFS)",
    "Month": "เดือน",
    "New receipt": "ใบรับเงินใหม่",
    "No receipts this year.": "ยังไม่มีใบรับเงินในปีนี้",
    "Not imported: fix these rows": "ยังไม่ได้นำเข้า: กรุณาแก้ไขแถวต่อไปนี้",
    "Nothing posted with these dimensions.": "ไม่มีรายการบัญชีตามมิติที่เลือก",
    "Opening balance template": "แบบฟอร์มยอดยกมา",
    "Opening balances (account_code, debit, credit, memo)": "ยอดยกมา (account_code, debit, credit, memo)",
    "Org unit code": "รหัสหน่วยงาน",
    "org unit": "หน่วยงาน",
    "Own income (เงินรายได้)": "เงินรายได้",
    "Payer": "ผู้ชำระเงิน",
    "Per": "จำแนกตาม",
    "Post it (otherwise only check)": "บันทึกบัญชี (หากไม่เลือกจะตรวจสอบอย่างเดียว)",
    "Province code": "รหัสจังหวัด",
    "project": "โครงการ",
    "province": "จังหวัด",
    "Receipt %(number)s created: the payer quotes %(ref)s.": "ออกใบรับเงิน %(number)s แล้ว ผู้ชำระอ้างอิงเลข %(ref)s",
    "Receipts": "ใบรับเงิน",
    "Revenue Department upload text (TIS-620)": "ไฟล์ข้อความยื่นแบบกรมสรรพากร (TIS-620)",
    "Revolving fund (เงินทุนหมุนเวียน)": "เงินทุนหมุนเวียน",
    "The file holds": "ข้อมูลในไฟล์",
    "The receipt number (without the dash) is the reference the payer quotes; a bank statement credit with that reference and amount records the money received.": (
        "เลขที่ใบรับเงิน (ไม่มีขีด) คือเลขอ้างอิงที่ผู้ชำระระบุ เมื่อรายการเงินเข้าในใบแจ้งยอดธนาคารมีเลขอ้างอิงและจำนวนเงินตรงกัน ระบบจะบันทึกรับเงินให้"
    ),
    "Unit (budget lines)": "หน่วยงาน (รายการงบประมาณ)",
    "Withholding tax returns": "แบบยื่นภาษีหัก ณ ที่จ่าย",
    "%(n)s entries, %(s)s already imported": "%(n)s รายการ นำเข้าแล้วก่อนหน้า %(s)s รายการ",
    "%(n)s posted": "บันทึกแล้ว %(n)s รายการ",
    "%(rows)s rows": "%(rows)s แถว",
}
