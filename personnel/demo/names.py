"""Word lists for the demo data: Vietnamese names, majors, schools."""

# (family name, relative frequency); Nghệ Tĩnh has many Phan, Võ, Hồ, Đậu, Thái.
FAMILY_NAMES = [
    ("Nguyễn", 30),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 5),
    ("Hoàng", 4),
    ("Phan", 6),
    ("Võ", 5),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.5),
    ("Hồ", 2),
    ("Ngô", 1.5),
    ("Dương", 1.2),
    ("Lý", 0.5),
    ("Đinh", 1),
    ("Đào", 0.8),
    ("Thái", 1),
    ("Đậu", 1),
    ("Trương", 0.8),
    ("Hà", 0.6),
    ("Cao", 0.5),
    ("Mai", 0.4),
    ("Chu", 0.3),
    ("Tô", 0.3),
]

MALE_MIDDLE = [
    ("Văn", 30),
    ("Đức", 6),
    ("Hữu", 5),
    ("Xuân", 4),
    ("Quang", 4),
    ("Minh", 4),
    ("Đình", 5),
    ("Ngọc", 3),
    ("Công", 3),
    ("Thanh", 3),
    ("Mạnh", 2),
    ("Trọng", 2),
    ("Viết", 2),
    ("Anh", 2),
    ("Duy", 2),
    ("Tiến", 2),
    ("Hồng", 1),
    ("Quốc", 2),
    ("Bá", 1),
    ("Sỹ", 1),
]

FEMALE_MIDDLE = [
    ("Thị", 40),
    ("Thu", 4),
    ("Thanh", 4),
    ("Ngọc", 3),
    ("Hồng", 3),
    ("Minh", 2),
    ("Phương", 2),
    ("Kim", 2),
    ("Hải", 1),
    ("Thùy", 2),
    ("Diệu", 1),
    ("Bích", 1),
]


def _words(text: str) -> list[str]:
    return text.split()


MALE_GIVEN = _words(
    "Anh Bình Cường Dũng Đức Hải Hùng Hưng Huy Khánh Lâm Long Minh Nam Nghĩa Phong Phúc "
    "Quang Quân Sơn Tài Thắng Thành Thịnh Toàn Trung Tuấn Tùng Việt Vinh Hoàng Kiên Lợi "
    "Hậu Đạt Hiếu Lộc Sáng Tâm Thuận Tiến Tú Hòa Chiến Công Định Giang Khoa Lực Tính"
)

FEMALE_GIVEN = _words(
    "Anh Châu Chi Dung Giang Hà Hạnh Hằng Hiền Hoa Hồng Huyền Hương Lan Liên Linh Loan "
    "Mai Ngân Nga Ngọc Nhung Oanh Phương Quỳnh Tâm Thảo Thủy Trang Trinh Tuyết Vân Yến "
    "Thanh Xuân Lý My Hậu Hòa Nhàn Sen"
)

# (ethnicity, weight): almost all Kinh; Thái, Mường and Chứt live in the western districts.
ETHNICITIES = [("Kinh", 96.5), ("Thái", 1.3), ("Mường", 1.2), ("Chứt", 1.0)]
RELIGIONS = [("Không", 93.5), ("Công giáo", 6.0), ("Phật giáo", 0.5)]

# Majors by sector of the official's first unit; each with the schools that teach it.
MAJORS_BY_SECTOR = {
    "party": ["Xây dựng Đảng và chính quyền nhà nước", "Chính trị học", "Luật", "Kinh tế"],
    "government": ["Quản lý kinh tế", "Kinh tế nông nghiệp", "Luật", "Quản lý đất đai"],
    "front": ["Công tác xã hội", "Chính trị học", "Luật"],
    "police": ["Điều tra trinh sát", "Luật"],
    "court": ["Luật"],
    "procuracy": ["Luật", "Kiểm sát"],
    "inspection": ["Luật", "Kế toán", "Kinh tế"],
    "finance": ["Tài chính - Ngân hàng", "Kế toán", "Kinh tế"],
    "tax": ["Kế toán", "Tài chính - Ngân hàng"],
    "education": ["Sư phạm Toán", "Sư phạm Ngữ văn", "Quản lý giáo dục"],
    "health": ["Bác sĩ đa khoa", "Y tế công cộng"],
    "home_affairs": ["Hành chính học", "Luật", "Quản lý nhà nước"],
}

SCHOOLS_BY_MAJOR = {
    "Xây dựng Đảng và chính quyền nhà nước": ["Học viện Chính trị quốc gia Hồ Chí Minh"],
    "Chính trị học": ["Học viện Báo chí và Tuyên truyền", "Đại học Vinh"],
    "Luật": ["Đại học Luật Hà Nội", "Trường Đại học Luật, Đại học Huế", "Đại học Vinh"],
    "Kinh tế": ["Đại học Kinh tế Quốc dân", "Đại học Vinh", "Trường Đại học Hà Tĩnh"],
    "Quản lý kinh tế": ["Đại học Kinh tế Quốc dân", "Học viện Chính trị quốc gia Hồ Chí Minh"],
    "Kinh tế nông nghiệp": ["Học viện Nông nghiệp Việt Nam", "Trường Đại học Hà Tĩnh"],
    "Quản lý đất đai": ["Học viện Nông nghiệp Việt Nam", "Trường Đại học Nông Lâm Huế"],
    "Công tác xã hội": ["Trường Đại học Lao động - Xã hội", "Đại học Vinh"],
    "Điều tra trinh sát": ["Học viện Cảnh sát nhân dân", "Học viện An ninh nhân dân"],
    "Kiểm sát": ["Trường Đại học Kiểm sát Hà Nội"],
    "Kế toán": ["Học viện Tài chính", "Đại học Kinh tế Quốc dân", "Trường Đại học Hà Tĩnh"],
    "Tài chính - Ngân hàng": ["Học viện Tài chính", "Học viện Ngân hàng"],
    "Sư phạm Toán": ["Đại học Vinh", "Trường Đại học Sư phạm Hà Nội"],
    "Sư phạm Ngữ văn": ["Đại học Vinh", "Trường Đại học Sư phạm Hà Nội"],
    "Quản lý giáo dục": ["Đại học Vinh", "Học viện Quản lý giáo dục"],
    "Bác sĩ đa khoa": ["Trường Đại học Y Hà Nội", "Trường Đại học Y khoa Vinh"],
    "Y tế công cộng": ["Trường Đại học Y tế công cộng", "Trường Đại học Y khoa Vinh"],
    "Hành chính học": ["Học viện Hành chính Quốc gia"],
    "Quản lý nhà nước": ["Học viện Hành chính Quốc gia", "Đại học Vinh"],
}

BACHELOR_TITLE = {
    "Bác sĩ đa khoa": "Bác sĩ",
    "Kinh tế nông nghiệp": "Kỹ sư",
    "Quản lý đất đai": "Kỹ sư",
}

ADVANCED_THEORY_SCHOOLS = [
    "Học viện Chính trị quốc gia Hồ Chí Minh",
    "Học viện Chính trị khu vực III",
    "Học viện Chính trị khu vực I",
]
PROVINCIAL_SCHOOL = "Trường Chính trị Trần Phú"
STATE_MANAGEMENT_SCHOOLS = ["Học viện Hành chính Quốc gia", PROVINCIAL_SCHOOL]
